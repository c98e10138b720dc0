// Shared by the pages with ECharts figures (port-call statistics, patrol measures): one chart
// in an element, with the house's tooltip, legend and grid, resized with the window. Load after
// echarts.min.js and before the page's own script.
(function () {
  "use strict";
  window.BastionCharts = {
    chart: function (id, option) {
      var el = document.getElementById(id);
      if (!el || !window.echarts) { return null; }
      var instance = window.echarts.init(el);
      instance.setOption(Object.assign({
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", bottom: 0 },
        grid: { left: 48, right: 16, top: 16, bottom: 56 }
      }, option));
      window.addEventListener("resize", function () { instance.resize(); });
      return instance;
    }
  };
})();
