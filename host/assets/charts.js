// The city dashboard's charts (ECharts, vendored): drawn from the figures the page carries in a
// data- attribute, the same ones its table shows. Without JavaScript the table is the dashboard.
"use strict";

(function () {
  function draw() {
    if (!window.echarts) {
      return;
    }
    var boxes = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.getAttribute("data-drawn") === "1") {
        continue;
      }
      var data;
      try {
        data = JSON.parse(box.getAttribute("data-chart"));
      } catch (e) {
        continue;
      }
      var chart = window.echarts.init(box, null, { renderer: "canvas" });
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 40, bottom: 40 },
        xAxis: { type: "category", data: data.areas, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s) {
          return { name: s.name, type: "bar", data: s.data };
        })
      });
      box.setAttribute("data-drawn", "1");
      window.addEventListener("resize", chart.resize);
    }
  }

  draw();
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
