// Duty calendars: print buttons, copying a calendar-feed address, and asking a swap from
// /duty/me (posts JSON to the rosters' API: POST /api/v1/duty/swaps).
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-copy"));
      if (!input) { return; }
      input.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(input.value); }
    });
  });

  function number(value) {
    return value === "" || value === null ? null : parseInt(value, 10);
  }

  document.querySelectorAll("form[data-swap-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var out = form.querySelector(".duty-swap-result");
      var data = new FormData(form);
      var body = {
        assignment_id: number(data.get("assignment_id")),
        to_person_id: number(data.get("to_person_id")),
        reason: data.get("reason") || ""
      };
      var other = number(data.get("other_assignment_id"));
      if (other !== null) { body.other_assignment_id = other; }
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      fetch(form.getAttribute("action"), {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          out.classList.toggle("error", !response.ok);
          if (response.ok) {
            out.textContent = form.getAttribute("data-ok");
          } else {
            var detail = typeof json.detail === "string" ? json.detail
              : Array.isArray(json.detail) ? json.detail.map(function (e) { return e.msg; }).join(" ")
              : "";
            out.textContent = form.getAttribute("data-failed") + (detail ? " " + detail : "");
            button.disabled = false;
          }
        });
      }).catch(function () {
        out.classList.add("error");
        out.textContent = form.getAttribute("data-failed");
        button.disabled = false;
      });
    });
  });
}());
