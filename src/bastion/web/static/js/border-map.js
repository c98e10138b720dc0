// The border map (Leaflet, offline): Natural Earth land as the basemap (basemap.js), then every layer the
// user may see from GET /api/v1/border/map (the server leaves out what need-to-know hides),
// plus the overlays the page lists (live patrols, blind spots). An overlay whose request
// fails is skipped: a missing module never breaks the map.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L || !window.BastionBasemap) { return; }
  var status = document.getElementById("map-status");
  var map = L.map(el, { preferCanvas: true }).setView([22.8, 106.0], 8);
  var control = L.control.layers(null, null, { collapsed: false }).addTo(map);
  var getJSON = window.BastionBasemap.getJSON;
  window.BastionBasemap.addLand(map);

  var colours = {
    line: "#c92a2a", segments: "#1971c2", markers: "#212529", posts: "#2f9e44",
    checkpoints: "#f08c00", cameras: "#7048e8", bridges: "#495057", piers: "#0c8599",
    barriers: "#e8590c", villages: "#5c940d", crossings: "#d6336c"
  };
  var skip = { layer: true, label: true, id: true };

  var popup = function (props, fields) {
    var box = document.createElement("div");
    box.className = "border-popup";
    var title = document.createElement("strong");
    title.textContent = props.label || "";
    box.appendChild(title);
    var list = document.createElement("dl");
    Object.keys(props).forEach(function (key) {
      if (skip[key]) { return; }
      var dt = document.createElement("dt");
      dt.textContent = fields[key] || key;
      var dd = document.createElement("dd");
      dd.textContent = String(props[key]);
      list.appendChild(dt); list.appendChild(dd);
    });
    box.appendChild(list);
    return box;
  };

  var draw = function (name, collection, fields) {
    var colour = colours[name] || "#343a40";
    return L.geoJSON(collection, {
      style: function () {
        return name === "line" ? { color: colour, weight: 3, dashArray: "8 4" } : { color: colour, weight: 5, opacity: 0.7 };
      },
      pointToLayer: function (feature, latlng) {
        if (name === "checkpoints" && feature.properties.radius_m) {
          return L.circle(latlng, { radius: feature.properties.radius_m, color: colour, weight: 2, fillOpacity: 0.3 });
        }
        return L.circleMarker(latlng, { radius: name === "markers" ? 4 : 6, color: colour, weight: 2, fillOpacity: 0.8 });
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.label || "");
        layer.bindPopup(popup(feature.properties, fields || {}));
      }
    });
  };

  getJSON(el.dataset.source).then(function (data) {
    if (!data) { return; }
    var names = Object.keys(data.layers || {});
    names.forEach(function (name) {
      var collection = data.layers[name];
      var layer = draw(name, collection, data.fields).addTo(map);
      control.addOverlay(layer, collection.title || name);
    });
    el.dataset.layers = names.join(" ");
    if (!names.length && status) { status.textContent = el.dataset.labelEmpty || ""; }
    var b = data.bounds;
    if (b && b.length === 4) {
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [20, 20], maxZoom: 14 });
    }
    el.dataset.ready = "1";
  });

  var overlays = [];
  try { overlays = JSON.parse(el.dataset.overlays || "[]"); } catch (e) { overlays = []; }
  var shown = [];
  overlays.forEach(function (overlay) {
    getJSON(overlay.url).then(function (collection) {
      if (!collection || !collection.type) { return; }  // not there yet, or refused: skip it
      var layer = draw("overlay", collection, {}).addTo(map);
      control.addOverlay(layer, overlay.label);
      shown.push(overlay.url);
      el.dataset.overlaysShown = shown.join(" ");
    });
  });
})();
