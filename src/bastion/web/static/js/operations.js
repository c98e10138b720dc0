// Joint operations: the list's chart (tasks done and not done per operation, from the
// element's data-chart) and an operation's map (its area and posts on the offline basemap,
// from data-source). For a planner the map carries data-pick ("latInputId,lonInputId"): a
// click places the new post there and fills the two inputs; typed coordinates move the mark.
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
  window.BastionBasemap.addBorder(map);
  if (el.dataset.pick) {
    var ids = el.dataset.pick.split(",");
    var lat = document.getElementById(ids[0]);
    var lon = document.getElementById(ids[1]);
    var mark = null;
    var place = function (latlng) {
      if (mark) { map.removeLayer(mark); }
      mark = L.circleMarker(latlng, { radius: 8, color: "#e8590c", weight: 3, fillColor: "#fff",
                                      fillOpacity: 1, interactive: false }).addTo(map);
      el.dataset.picked = lat.value + "," + lon.value;
    };
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      place(e.latlng);
    });
    var typed = function () {
      var y = parseFloat(lat.value), x = parseFloat(lon.value);
      if (isFinite(y) && isFinite(x) && Math.abs(y) <= 90 && Math.abs(x) <= 180) { place([y, x]); }
    };
    lat.addEventListener("change", typed);
    lon.addEventListener("change", typed);
    typed();  // a refused form comes back with its coordinates
  }
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
    el.dataset.area = data.area ? "1" : "0";
    el.dataset.ready = "1";
  });
})();
