// Joint operations: the list's chart (tasks done and not done per operation, from the
// element's data-chart) and an operation's map (its area and posts on the offline basemap,
// from data-source).
(function () {
  "use strict";
  var chartEl = document.getElementById("operations-chart");
  if (chartEl && window.BastionCharts) {
    var data = JSON.parse(chartEl.dataset.chart || "{}");
    window.BastionCharts.chart("operations-chart", {
      xAxis: { type: "category", data: data.names || [] },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels.done, type: "bar", stack: "tasks", data: data.done || [] },
        { name: data.labels.open, type: "bar", stack: "tasks", data: data.open || [] }
      ]
    });
    chartEl.dataset.ready = "1";
  }

  var el = document.getElementById("operation-map");
  if (!el || !window.L || !window.BastionBasemap) { return; }
  var map = L.map(el).setView([22.9, 105.8], 9);
  window.BastionBasemap.addLand(map);
  var tooltip = function (feature, layer) {
    if (feature.properties && feature.properties.label) { layer.bindTooltip(feature.properties.label); }
  };
  window.BastionBasemap.getJSON(el.dataset.source).then(function (data) {
    if (!data) { return; }
    var drawn = L.featureGroup().addTo(map);
    if (data.area) {
      L.geoJSON(data.area, { style: { color: "#c92a2a", weight: 2, fillOpacity: 0.08 }, onEachFeature: tooltip }).addTo(drawn);
    }
    L.geoJSON(data.posts, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 7, color: "#1971c2", weight: 3, fillColor: "#fff", fillOpacity: 1 });
      },
      onEachFeature: tooltip
    }).addTo(drawn);
    var bounds = drawn.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 }); }
    el.dataset.posts = String(data.posts.features.length);
    el.dataset.ready = "1";
  });
})();
