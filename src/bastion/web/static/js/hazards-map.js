// Maps of the hazards pages on the offline basemap (basemap.js): every element with class
// "map" and one of
//   data-source   a GeoJSON FeatureCollection URL (the hazards list),
//   data-features the GeoJSON itself (one hazard, one survey),
//   data-draw     the id of a hidden input: clicks draw a point, or a line point by point
//                 (radio "draw_mode"), written there as a GeoJSON geometry,
//   data-pick     "lonInputId,latInputId": a click fills the two inputs (survey points),
//   data-border   the border map's JSON (its line and segments drawn thin; skipped if refused).
(function () {
  "use strict";
  var colours = { reported: "#e8590c", triaged: "#f08c00", ordered: "#1971c2", done: "#2f9e44",
                  verified: "#2b8a3e", rejected: "#868e96", blind_spot: "#c92a2a", camera: "#7048e8",
                  area: "#1971c2" };
  var style = function (f) {
    var p = f.properties || {};
    return { color: colours[p.status] || colours[p.kind] || "#e8590c", weight: 4 };
  };
  var point = function (f, latlng) {
    var p = f.properties || {};
    return L.circleMarker(latlng, { radius: 7, weight: 2, color: "#fff", fillOpacity: 0.9,
                                    fillColor: colours[p.status] || colours[p.kind] || "#e8590c" });
  };
  var popup = function (f, layer) {
    var p = f.properties || {};
    if (p.label) { layer.bindTooltip(p.label); }
    if (p.link) { layer.on("click", function () { window.location.href = p.link; }); }
  };

  function setup(el) {
    var map = L.map(el).setView([22.9, 106.0], 9);
    el._map = map;
    window.BastionBasemap.addLand(map);
    var group = L.featureGroup().addTo(map);
    var fit = function () {
      if (group.getLayers().length) { map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 15 }); }
    };
    var show = function (data) {
      if (!data) { return; }
      L.geoJSON(data, { style: style, pointToLayer: point, onEachFeature: popup }).addTo(group);
      fit();
      el.dataset.count = String((data.features || []).length);
    };
    if (el.dataset.border) {
      window.BastionBasemap.getJSON(el.dataset.border).then(function (data) {
        if (!data || !data.layers) { return; }
        Object.keys(data.layers).forEach(function (name) {
          if (name !== "line" && name !== "segments") { return; }
          L.geoJSON(data.layers[name], { interactive: false, pointToLayer: function () { return null; },
                                         style: { color: name === "line" ? "#5c3c92" : "#74c0fc", weight: name === "line" ? 2 : 5, opacity: 0.6 } }).addTo(map).bringToBack();
        });
      });
    }
    if (el.dataset.source) { window.BastionBasemap.getJSON(el.dataset.source).then(show); }
    if (el.dataset.features) {
      try { show(JSON.parse(el.dataset.features)); } catch (e) { /* nothing to draw */ }
    }
    if (el.dataset.draw) { drawing(el, map); }
    if (el.dataset.pick) {
      var ids = el.dataset.pick.split(",");
      var marker = null;
      map.on("click", function (e) {
        document.getElementById(ids[0]).value = e.latlng.lng.toFixed(6);
        document.getElementById(ids[1]).value = e.latlng.lat.toFixed(6);
        if (marker) { map.removeLayer(marker); }
        marker = L.marker(e.latlng).addTo(map);
      });
    }
    el.dataset.ready = "1";
  }

  function drawing(el, map) {
    var input = document.getElementById(el.dataset.draw);
    var vertices = [];
    var layer = null;
    var mode = function () {
      var checked = document.querySelector('input[name="draw_mode"]:checked');
      return checked ? checked.value : "Point";
    };
    var redraw = function () {
      if (layer) { map.removeLayer(layer); layer = null; }
      if (!vertices.length) { input.value = ""; return; }
      var latlngs = vertices.map(function (v) { return [v[1], v[0]]; });
      if (mode() === "Point" || vertices.length === 1) {
        layer = L.circleMarker(latlngs[latlngs.length - 1], { radius: 8, color: "#e8590c" }).addTo(map);
      } else {
        layer = L.polyline(latlngs, { color: "#e8590c", weight: 4 }).addTo(map);
      }
      var geometry = (mode() === "Point" || vertices.length < 2)
        ? { type: "Point", coordinates: vertices[vertices.length - 1] }
        : { type: "LineString", coordinates: vertices };
      input.value = JSON.stringify(geometry);
      el.dataset.geometry = geometry.type;
    };
    if (input.value) {  // a place given before (a patrol observation, a refused form)
      try {
        var g = JSON.parse(input.value);
        vertices = g.type === "Point" ? [g.coordinates] : g.coordinates.slice();
        if (g.type === "LineString") {
          var radio = document.querySelector('input[name="draw_mode"][value="LineString"]');
          if (radio) { radio.checked = true; }
        }
        redraw();
        if (layer) { map.setView(layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng(), 14); }
      } catch (e) { vertices = []; }
    }
    map.on("click", function (e) {
      var v = [Number(e.latlng.lng.toFixed(6)), Number(e.latlng.lat.toFixed(6))];
      vertices = mode() === "Point" ? [v] : vertices.concat([v]);
      redraw();
    });
    Array.prototype.forEach.call(document.querySelectorAll('input[name="draw_mode"]'), function (r) {
      r.addEventListener("change", function () {
        if (mode() === "Point" && vertices.length) { vertices = [vertices[vertices.length - 1]]; }
        redraw();
      });
    });
    var clear = document.getElementById("clear-place");
    if (clear) { clear.addEventListener("click", function () { vertices = []; redraw(); }); }
  }

  var start = function () {
    Array.prototype.forEach.call(document.querySelectorAll(".map[data-source], .map[data-features], .map[data-draw]"), setup);
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
