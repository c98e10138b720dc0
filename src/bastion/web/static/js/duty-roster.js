// The roster grid: while the solver works, poll the roster for its progress and reload when
// it is done; a planner clicks a duty to give it to someone else, pin or unpin it, or clear
// it (the API refuses a change that breaks a hard rule, naming it, and the message is shown).
(function () {
  "use strict";
  var card = document.getElementById("roster");
  if (!card) { return; }
  var id = card.dataset.rosterId;
  var api = "/api/v1/duty/rosters/" + id;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var headers = { "Content-Type": "application/json", "Accept": "application/json" };
  if (meta) { headers["X-CSRF-Token"] = meta.content; }

  // --- progress while queued or solving -----------------------------------------------------
  var state = document.getElementById("solve-state");
  var bar = document.getElementById("solve-progress");
  var percent = document.getElementById("solve-percent");
  var poll = function () {
    fetch(api, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (roster) {
        if (!roster) { return; }
        if (roster.status !== "queued" && roster.status !== "solving") {
          window.location.reload();
          return;
        }
        if (state) { state.hidden = false; }
        if (bar) { bar.value = roster.progress || 0; }
        if (percent) { percent.textContent = Math.round((roster.progress || 0) * 100) + "%"; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  };
  if (card.dataset.busy === "true") { window.setTimeout(poll, 1000); }

  // --- editing a cell -----------------------------------------------------------------------
  var editor = document.getElementById("cell-editor");
  if (!editor) { return; }
  var person = document.getElementById("cell-person");
  var pinned = document.getElementById("cell-pinned");
  var what = document.getElementById("cell-editor-what");
  var error = document.getElementById("cell-error");
  var current = null;

  var send = function (method, url, body) {
    error.textContent = "";
    return fetch(url, { method: method, credentials: "same-origin", headers: headers,
                        body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        if (r.ok) { window.location.reload(); return; }
        return r.json().then(function (data) {
          var detail = data && data.detail;
          error.textContent = Array.isArray(detail) ? detail.map(function (d) { return d.msg; }).join(" ") : (detail || r.status);
        });
      })
      .catch(function () { error.textContent = String(error.dataset.offline || "—"); });
  };

  Array.prototype.forEach.call(document.querySelectorAll(".duty-cell"), function (button) {
    button.addEventListener("click", function () {
      current = button;
      person.value = button.dataset.personId;
      pinned.checked = button.dataset.pinned === "true";
      what.textContent = button.title;
      error.textContent = "";
      editor.hidden = false;
      editor.scrollIntoView({ block: "nearest" });
      person.focus();
    });
  });
  var cell = function () { return api + "/assignments/" + current.dataset.assignmentId; };
  document.getElementById("cell-save").addEventListener("click", function () {
    if (current) { send("PATCH", cell(), { person_id: Number(person.value), pinned: pinned.checked }); }
  });
  document.getElementById("cell-pin").addEventListener("click", function () {
    if (current) { send("POST", cell() + "/pin", { pinned: current.dataset.pinned !== "true" }); }
  });
  document.getElementById("cell-clear").addEventListener("click", function () {
    if (current) { send("DELETE", cell()); }
  });
  document.getElementById("cell-cancel").addEventListener("click", function () {
    editor.hidden = true;
    current = null;
  });
}());
