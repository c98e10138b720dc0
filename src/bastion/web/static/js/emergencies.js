// The emergency board: the map (area, shelter zones by class, vessels coloured by status) on
// the emergency's page and the big screen, and the big screen's chart of vessels and persons
// by status. Both redraw when the live counts region (bastion.js) is refreshed by the event
// stream; the map also every minute (positions move without a status event).
(function () {
  "use strict";
  var colours = { listed: "#868e96", notified: "#fab005", acknowledged: "#fd7e14", moving: "#4dabf7",
                  sheltered: "#40c057", departed: "#20c997", crew_ashore: "#82c91e" };
  var mapEl = document.getElementById("emergency-map");
  var map = null, layer = null, fitted = false;
  var getJSON = function (url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; });
  };
  var drawMap = function () {
    if (!map) { return; }
    getJSON(mapEl.dataset.features).then(function (fc) {
      if (!fc) { return; }
      layer.clearLayers();
      var shapes = L.geoJSON(fc, {
        style: function (f) {
          var p = f.properties || {};
          if (p.layer === "area") { return { color: "#e03131", weight: 3, fill: false, dashArray: "8 6" }; }
          if (p.layer === "vessel") { return { radius: 7, color: "#000", weight: 1, fillColor: colours[p.status] || "#fff", fillOpacity: 0.95 }; }
          return { color: "#1c7ed6", weight: 2, fillOpacity: 0.15 };
        },
        pointToLayer: function (f, latlng) {
          var p = f.properties || {};
          return L.circleMarker(latlng, { radius: 7, color: "#000", weight: 1, fillColor: colours[p.status] || "#fff", fillOpacity: 0.95 });
        },
        onEachFeature: function (f, l) { if (f.properties && f.properties.label) { l.bindTooltip(f.properties.label); } }
      }).addTo(layer);
      var vessels = fc.features.filter(function (f) { return f.properties && f.properties.layer === "vessel"; });
      mapEl.dataset.vesselCount = String(vessels.length);
      if (!fitted) { map.fitBounds(shapes.getBounds(), { maxZoom: 12 }); fitted = true; }
    });
  };
  if (mapEl && window.L) {
    map = L.map(mapEl, { preferCanvas: true }).setView([21.7, 111.9], 9);
    if (window.BastionBasemap) { window.BastionBasemap.addLand(map); }
    layer = L.layerGroup().addTo(map);
    drawMap();
    setInterval(drawMap, 60000);
  }

  var chartEl = document.getElementById("board-chart");
  var region = document.getElementById("board-counts");
  var chart = null;
  var drawChart = function () {
    if (!chartEl || !region || !window.BastionCharts) { return; }
    var holder = region.querySelector("[data-counts]");
    if (!holder) { return; }
    var counts = JSON.parse(holder.dataset.counts);
    var statuses = Object.keys(counts.vessels);
    var labels = JSON.parse(chartEl.dataset.labels || "[]");
    var option = {
      textStyle: { color: "#f8f9fa", fontSize: 16 },
      legend: { bottom: 0, textStyle: { color: "#f8f9fa", fontSize: 16 } },
      xAxis: { type: "category", data: labels.length === statuses.length ? labels : statuses, axisLabel: { color: "#f8f9fa", fontSize: 14 } },
      yAxis: [{ type: "value", minInterval: 1, axisLabel: { color: "#f8f9fa" } }, { type: "value", minInterval: 1, axisLabel: { color: "#adb5bd" } }],
      series: [
        { name: chartEl.dataset.labelVessels, type: "bar", data: statuses.map(function (s) { return counts.vessels[s]; }),
          itemStyle: { color: function (p) { return colours[statuses[p.dataIndex]] || "#fff"; } } },
        { name: chartEl.dataset.labelPersons, type: "line", yAxisIndex: 1, data: statuses.map(function (s) { return counts.persons[s]; }), itemStyle: { color: "#e9ecef" } }
      ]
    };
    if (chart) { chart.setOption(option); } else { chart = window.BastionCharts.chart("board-chart", option); }
    document.body.dataset.chartsReady = "true";
  };
  drawChart();
  if (region && window.MutationObserver) {
    new MutationObserver(function () { drawChart(); drawMap(); }).observe(region, { childList: true });
  }
})();
