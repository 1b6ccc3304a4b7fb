// The queue refreshes itself every 2 s (GET /queue.json); rows are built with textContent.
(function () {
  "use strict";
  const C = window.ConsoleUI;
  const table = document.getElementById("queue");
  if (!table) return;
  const body = table.querySelector("tbody");
  const empty = document.getElementById("queue-empty");
  const error = document.getElementById("queue-error");
  let last = "";

  function cell(text, cls) {
    return C.el("td", cls || "", text);
  }

  function claimForm(caseId) {
    const form = C.el("form");
    form.method = "post";
    form.action = "/cases/" + encodeURIComponent(caseId) + "/claim";
    const token = C.el("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = C.csrf();
    form.appendChild(token);
    form.appendChild(C.el("button", "", "Claim"));
    return form;
  }

  function row(c) {
    const tr = C.el("tr");
    tr.dataset.case = c.case_id;
    tr.dataset.status = c.status;
    tr.appendChild(cell(c.queue_position || ""));
    const link = C.el("a", "", c.case_id);
    link.href = "/cases/" + encodeURIComponent(c.case_id);
    const idCell = C.el("td");
    idCell.appendChild(link);
    tr.appendChild(idCell);
    tr.appendChild(cell(c.priority, c.priority === "vip" ? "vip" : ""));
    tr.appendChild(cell(c.reason));
    tr.appendChild(cell(c.language));
    tr.appendChild(cell(c.channel));
    tr.appendChild(cell(Math.floor((c.waiting_seconds || 0) / 60) + " min"));
    tr.appendChild(cell(c.status + (c.claimed_by ? " (" + c.claimed_by + ")" : "")));
    const action = C.el("td");
    if (c.status === "queued") action.appendChild(claimForm(c.case_id));
    tr.appendChild(action);
    return tr;
  }

  C.every(2, async function () {
    const answer = await C.call("GET", "/queue.json");
    if (!answer.ok) {
      C.show(error, answer.error);
      return answer.status !== 401;
    }
    C.show(error, "");
    const cases = answer.data.cases || [];
    const signature = JSON.stringify(cases);
    if (signature === last) return true;
    last = signature;
    body.replaceChildren(...cases.map(row));
    table.hidden = cases.length === 0;
    empty.hidden = cases.length !== 0;
    return true;
  });
})();
