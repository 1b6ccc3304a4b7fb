// The dashboard refreshes its figures every 5 s (GET /dashboard.json).
(function () {
  "use strict";
  const C = window.ConsoleUI;
  const figures = document.getElementById("figures");
  if (!figures) return;
  const error = document.getElementById("dashboard-error");

  function format(name, data) {
    const value = data[name];
    if (name === "handoff_rate") {
      if (value === null || value === undefined) return "n/a (" + data.handoff_rate_note + ")";
      return (Math.round(value * 1000) / 10) + "% (" + data.handed_off_conversations_today +
        " of " + data.conversations_today + " conversations)";
    }
    if (value === null || value === undefined) return "–";
    if (name === "median_wait_seconds") return Math.round(value) + " s";
    return String(value);
  }

  function put(node, text) {
    // The open tickets figure is a link: its text changes, the link stays.
    const target = node.querySelector("a") || node;
    target.textContent = text;
  }

  C.every(5, async function () {
    const answer = await C.call("GET", "/dashboard.json");
    if (!answer.ok) {
      C.show(error, answer.error);
      return answer.status !== 401;
    }
    C.show(error, "");
    figures.querySelectorAll("[data-figure]").forEach(function (node) {
      put(node, format(node.dataset.figure, answer.data));
    });
    return true;
  });
})();
