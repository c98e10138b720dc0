// The live picture of patrols (Leaflet on the offline basemap): a marker per patrol under way
// and per SOS, the list beside the map (#live-panel, rendered by the server) refreshed when
// the event stream brings any patrol.* event, and every minute (fixes grow stale as time
// passes). The SOS banner is part of the list: it stays until the SOS is acknowledged.
(function () {
  "use strict";
  var el = document.getElementById("live-map");
  var panel = document.getElementById("live-panel");
  if (!el || !panel) { return; }
  var getJSON = window.BastionBasemap ? window.BastionBasemap.getJSON : function () {
    return Promise.resolve(null);
  };
  var map = null;
  var layer = null;
  var renderer = null;
  var fitted = false;
  if (window.L && window.BastionBasemap) {
    map = L.map(el, { preferCanvas: true }).setView([22.8, 106.7], 9);
    if (window.BastionBasemap) { window.BastionBasemap.addLand(map); }
    // Patrols and SOS in a pane of their own above the basemap, which arrives later.
    map.createPane("live");
    map.getPane("live").style.zIndex = 650;
    renderer = L.canvas({ pane: "live" });
    layer = L.layerGroup().addTo(map);
  }
  // The border the user may see (GET /api/v1/border/map: the line, defence segments and
  // checkpoints), drawn once under the patrols; the map starts on the user's area.
  var borderStyles = { line: "#c92a2a", segments: "#1971c2", checkpoints: "#f08c00" };
  if (map && el.dataset.border) {
    getJSON(el.dataset.border).then(function (data) {
      if (!data || !data.layers) { return; }
      var drawn = [];
      Object.keys(borderStyles).forEach(function (name) {
        var collection = data.layers[name];
        if (!collection || !collection.features) { return; }
        var colour = borderStyles[name];
        L.geoJSON(collection, {
          style: function () { return { color: colour, weight: name === "segments" ? 4 : 2, opacity: 0.8 }; },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 5, color: colour, weight: 2, fillOpacity: 0.6 });
          },
          onEachFeature: function (feature, l) {
            if (feature.properties && feature.properties.label) { l.bindTooltip(feature.properties.label); }
          }
        }).addTo(map);
        drawn.push(name + ":" + collection.features.length);
      });
      el.dataset.borderLayers = drawn.join(" ");
      var b = data.bounds;
      if (!fitted && b && b.length === 4) {
        map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: 13 });
      }
    });
  }
  var draw = function () {
    if (!map) { return; }
    getJSON(el.dataset.features).then(function (fc) {
      if (!fc) { return; }
      layer.clearLayers();
      var points = [];
      fc.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        var p = f.properties;
        var sos = p.layer === "sos";
        var colour = sos ? (p.acknowledged ? "#f08c00" : "#c92a2a") : (p.stale ? "#868e96" : "#0b5cab");
        var marker = L.circleMarker([c[1], c[0]], { radius: sos ? 11 : 7, color: colour, weight: 2, fillOpacity: 0.85, pane: "live", renderer: renderer });
        var text = p.label || "";
        if (!sos && p.stale) { text += " · " + el.dataset.labelStale; }
        marker.bindTooltip(text);
        marker.addTo(layer);
        points.push([c[1], c[0]]);
      });
      el.dataset.markerCount = String(points.length);
      if (!fitted && points.length) { map.fitBounds(points, { maxZoom: 13, padding: [30, 30] }); fitted = true; }
    });
  };
  var refresh = function () {
    fetch(panel.dataset.refresh, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        panel.innerHTML = html;
        panel.dataset.refreshed = String(Number(panel.dataset.refreshed || 0) + 1);
      });
    draw();
  };
  // Acknowledge an open SOS from the banner (patrols.sos.ack; the button is only there for
  // those who hold it): the API with the page's CSRF token, then the panel reads again (the
  // event stream brings patrol.sos_acknowledged as well).
  var csrf = document.querySelector('meta[name="csrf-token"]');
  panel.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.sos-ack") : null;
    if (!button) { return; }
    button.disabled = true;
    fetch(button.dataset.ack, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf ? csrf.content : "", "Accept": "application/json" }
    }).then(function (r) {
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          button.disabled = false;
          button.setAttribute("title", button.dataset.labelFailed + " " + (body.detail || r.status));
          button.dataset.outcome = "error";
        });
      }
      button.dataset.outcome = "acknowledged";
      refresh();
    });
  });
  var timer = null;
  var soon = function () {  // a burst of track uploads reads once
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 300);
  };
  draw();
  var source = new EventSource(el.dataset.stream);
  source.onmessage = function (message) {
    var kind = "";
    try { kind = JSON.parse(message.data).kind || ""; } catch (e) { return; }
    if (kind.indexOf("patrol.") === 0) { soon(); }
  };
  source.addEventListener("ready", function () { panel.dataset.liveReady = "true"; });
  setInterval(refresh, 60000);
})();
