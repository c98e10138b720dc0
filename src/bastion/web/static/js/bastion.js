// Bastion page behaviour. No inline scripts anywhere (the CSP forbids them): all of it is here.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  // HTMX requests carry the CSRF token as a header.
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (csrf) { event.detail.headers["X-CSRF-Token"] = csrf.content; }
  });

  // Selects marked data-autosubmit submit their form when changed (language switch).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Live regions: an element with data-live-source listens to the server's event stream and
  // reloads its content from data-live-refresh when one of data-live-events arrives.
  document.querySelectorAll("[data-live-source]").forEach(function (region) {
    var kinds = (region.dataset.liveEvents || "").split(/\s+/).filter(Boolean);
    var source = new EventSource(region.dataset.liveSource);
    var refresh = function () {
      fetch(region.dataset.liveRefresh, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var rows = "[data-notice-id], [data-alert-id], [data-call-id]";
          var keyOf = function (row) {
            return row.dataset.noticeId || row.dataset.alertId || row.dataset.callId;
          };
          var known = {};
          region.querySelectorAll(rows).forEach(function (row) { known[keyOf(row)] = true; });
          region.innerHTML = html;
          region.querySelectorAll(rows).forEach(function (row) {
            if (!known[keyOf(row)]) { row.classList.add("fresh"); }
          });
        });
    };
    kinds.forEach(function (kind) { source.addEventListener(kind, refresh); });
    source.addEventListener("ready", function () { region.dataset.liveReady = "true"; });
  });
})();
