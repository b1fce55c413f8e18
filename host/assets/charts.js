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
      // One small chart per figure, each under its name (the simple build has no legend).
      data.series.forEach(function (s) {
        var part = document.createElement("figure");
        part.className = "chart-part";
        var caption = document.createElement("figcaption");
        caption.textContent = s.name;
        var canvas = document.createElement("div");
        canvas.className = "chart-canvas";
        part.appendChild(caption);
        part.appendChild(canvas);
        box.appendChild(part);
        var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
        chart.setOption({
          grid: { left: 36, right: 8, top: 12, bottom: 64 },
          xAxis: { type: "category", data: data.areas, axisLabel: { interval: 0, rotate: 40 } },
          yAxis: { type: "value", minInterval: 1 },
          series: [{ name: s.name, type: "bar", data: s.data, label: { show: true, position: "top" } }]
        });
        window.addEventListener("resize", function () { chart.resize(); });
      });
      box.setAttribute("data-drawn", "1");
    }
  }

  draw();
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
