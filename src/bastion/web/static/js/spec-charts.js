// Charts described wholly by the page: every element with class "chart" and a data-spec
// attribute ({"type": "line"|"bar"|"pie", "x": [...], "series": [{"name", "data", "type"?}],
// "max"?}) becomes an ECharts chart through BastionCharts (charts.js). The figures and their
// translated names are computed on the server for this user; nothing is fetched here.
(function () {
  "use strict";
  if (!window.echarts || !window.BastionCharts) { return; }
  var nodes = document.querySelectorAll(".chart[data-spec]");
  Array.prototype.forEach.call(nodes, function (el) {
    if (!el.id) { return; }
    var spec = JSON.parse(el.dataset.spec);
    if (spec.type === "pie") {
      window.BastionCharts.chart(el.id, {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: "60%", data: spec.series[0].data }]
      });
      return;
    }
    window.BastionCharts.chart(el.id, {
      xAxis: { type: "category", data: spec.x },
      yAxis: spec.max ? { type: "value", min: 0, max: spec.max } : { type: "value", minInterval: 1 },
      series: spec.series.map(function (s) {
        return { type: s.type || spec.type, name: s.name, data: s.data, connectNulls: true,
                 smooth: false };
      })
    });
  });
  document.body.dataset.chartsReady = "true";
})();
