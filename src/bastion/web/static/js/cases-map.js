// Cases on one map (Leaflet, offline basemap): sea and land cases the user may read that have
// a place, from GET /api/v1/cases/map.geojson with the list's filters (the server leaves out
// what need-to-know hides). Sea cases blue, land cases green; a drill's case dashed.
(function () {
  "use strict";
  var el = document.getElementById("case-map");
  if (!el || !window.L || !window.BastionBasemap) { return; }
  var status = document.getElementById("case-map-status");
  var map = L.map(el, { preferCanvas: true }).setView([22.2, 108.5], 6);
  window.BastionBasemap.addLand(map);
  var colours = { sea: "#1971c2", land: "#2f9e44" };
  var popup = function (p) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title;
    box.appendChild(link);
    var line = document.createElement("div");
    line.className = "muted";
    line.textContent = p.kind_label + " · " + p.status_label;
    box.appendChild(line);
    return box;
  };
  window.BastionBasemap.getJSON(el.dataset.source).then(function (data) {
    var features = (data && data.features) || [];
    el.dataset.count = String(features.length);
    if (!features.length) {
      if (status) { status.textContent = el.dataset.labelEmpty; }
      return;
    }
    var layer = L.geoJSON(data, {
      pointToLayer: function (f, at) {
        return L.circleMarker(at, { radius: 7, weight: 2, color: colours[f.properties.realm] || "#495057",
                                    dashArray: f.properties.exercise ? "3 3" : null, fillOpacity: 0.5 });
      },
      style: function (f) {
        return { color: colours[f.properties.realm] || "#495057", weight: 3,
                 dashArray: f.properties.exercise ? "6 4" : null };
      },
      onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 11, padding: [20, 20] });
  });
})();
