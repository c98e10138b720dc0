// Supplies charts (ECharts, vendored): the stock page's value by category and store (stacked
// bars) and the receipts page's value by category (a ring). The figures are in the page,
// computed for this user (data-chart); labels come translated as data- attributes.
(function () {
  "use strict";
  if (!window.echarts || !window.BastionCharts) { return; }
  var chart = window.BastionCharts.chart;
  var stock = document.getElementById("stock-chart");
  if (stock && stock.dataset.chart) {
    var data = JSON.parse(stock.dataset.chart);
    var stores = data.stores || [];
    var series = (data.categories || []).map(function (category) {
      return { type: "bar", stack: "value", name: category,
               data: stores.map(function (s) { return Math.round(((data.values[s] || {})[category] || 0) * 100) / 100; }) };
    }).filter(function (s) { return s.data.some(function (v) { return v > 0; }); });
    chart("stock-chart", {
      xAxis: { type: "category", data: stores },
      yAxis: { type: "value", name: stock.dataset.labelValue },
      series: series
    });
  }
  var receipts = document.getElementById("receipts-chart");
  if (receipts && receipts.dataset.chart) {
    var got = JSON.parse(receipts.dataset.chart);
    chart("receipts-chart", {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", name: receipts.dataset.labelValue, radius: ["35%", "65%"],
        data: (got.categories || []).map(function (c) { return { name: c.label, value: c.value_cny }; }) }]
    });
  }
  document.body.dataset.chartsReady = "true";
})();
