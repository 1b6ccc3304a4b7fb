// The dashboard refreshes its figures every 5 s (GET /dashboard.json).
(function () {
  "use strict";
  const C = window.ConsoleUI;
  const figures = document.getElementById("figures");
  if (!figures) return;
  const error = document.getElementById("dashboard-error");

  function format(name, value) {
    if (value === null || value === undefined) return "–";
    if (name === "median_wait_seconds") return Math.round(value) + " s";
    return String(value);
  }

  C.every(5, async function () {
    const answer = await C.call("GET", "/dashboard.json");
    if (!answer.ok) {
      C.show(error, answer.error);
      return answer.status !== 401;
    }
    C.show(error, "");
    figures.querySelectorAll("[data-figure]").forEach(function (node) {
      node.textContent = format(node.dataset.figure, answer.data[node.dataset.figure]);
    });
    return true;
  });
})();
