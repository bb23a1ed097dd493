// Dashboard charts (Chart.js 4, vendored). The page works without this file: the tables and
// tiles carry every number, and each has a link to its tickets.
(function () {
  "use strict";
  const charts = [];

  // The same rule as csops/durations.py: whole minutes under an hour, hours under a day, else days.
  function duration(minutes) {
    const sign = minutes < 0 ? "−" : "";
    const m = Math.abs(minutes);
    const one = (x) => x.toFixed(1).replace(/\.0$/, "");
    if (m > 0 && m < 1) return sign + "< 1 min";
    if (Math.round(m) < 60) return sign + Math.round(m) + " min";
    if (Math.round(m / 6) / 10 < 24) return sign + one(m / 60) + " h";
    return sign + one(m / 1440) + " d";
  }

  function fmt(value, unit) {
    if (value === null || value === undefined) return "—";
    if (unit === "percent") return value.toFixed(1) + " %";
    if (unit === "minutes") return duration(value);
    return String(Math.round(value * 100) / 100);
  }

  // Vertical lines for policy versions and training milestones, labelled on hover via the list.
  const markerPlugin = {
    id: "csopsMarkers",
    afterDatasetsDraw(chart, args, options) {
      const marks = options.marks || [];
      const { ctx, chartArea, scales } = chart;
      marks.forEach((m) => {
        const x = scales.x.getPixelForValue(m.index);
        if (x === undefined || Number.isNaN(x)) return;
        ctx.save();
        ctx.strokeStyle = m.kind === "policy" ? "#7c3aed" : "#0891b2";
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        ctx.restore();
      });
    },
  };

  function bucketIndex(buckets, day) {
    // The last bucket starting on or before the marker's day.
    let found = -1;
    buckets.forEach((b, i) => { if (b <= day) found = i; });
    return found;
  }

  function init() {
    charts.splice(0).forEach((c) => c.destroy());
    const dataEl = document.getElementById("series-data");
    if (!dataEl || typeof Chart === "undefined") return;
    const series = JSON.parse(dataEl.textContent);
    const markers = JSON.parse((document.getElementById("marker-data") || {}).textContent || "[]");
    const grid = document.querySelector(".chart-grid");
    const drillBase = grid ? grid.dataset.drillUrl : null;
    document.querySelectorAll(".chart-grid canvas").forEach((canvas) => {
      const metric = canvas.dataset.metric;
      const unit = canvas.dataset.unit;
      const points = series[metric] || [];
      const buckets = points.map((p) => p.bucket);
      const marks = markers
        .map((m) => ({ kind: m.kind, label: m.label, index: bucketIndex(buckets, m.day) }))
        .filter((m) => m.index >= 0);
      const isCount = unit === "count";
      const figcaption = canvas.closest("figure") && canvas.closest("figure").querySelector("figcaption");
      const caption = figcaption ? figcaption.textContent.trim() : metric;
      const chart = new Chart(canvas, {
        type: isCount ? "bar" : "line",
        data: {
          labels: buckets,
          datasets: [{ label: caption, data: points.map((p) => p.value), spanGaps: true,
                       backgroundColor: "#2563eb88", borderColor: "#2563eb" }],
        },
        options: {
          animation: false,
          responsive: true,
          scales: unit === "minutes" ? { y: { ticks: { callback: (value) => fmt(value, unit) } } } : {},
          plugins: {
            legend: { display: false },
            csopsMarkers: { marks },
            tooltip: { callbacks: {
              label: (item) => fmt(item.raw, unit) + " (n=" + points[item.dataIndex].count + ")",
              footer: (items) => marks.filter((m) => m.index === items[0].dataIndex).map((m) => m.label).join("\n"),
            } },
          },
          onClick: (event, elements) => {
            if (!elements.length || !drillBase) return;
            const bucket = buckets[elements[0].index];
            window.location.href = drillBase + "&metric=" + encodeURIComponent(metric) + "&bucket=" + bucket;
          },
        },
        plugins: [markerPlugin],
      });
      canvas.chart = chart;
      charts.push(chart);
    });
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", (e) => {
    if (e.target && e.target.id === "dashboard-body") init();
  });
})();
