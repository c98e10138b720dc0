// The alarm devices page: the command gives a device a new key (shown once, here, never again)
// or revokes its key, through the API with the page's CSRF token.
(function () {
  "use strict";
  var table = document.getElementById("fa-devices");
  var box = document.getElementById("fa-key");
  if (!table || !box) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]');
  table.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.fa-key") : null;
    if (!button) { return; }
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) { return; }
    button.disabled = true;
    fetch(button.dataset.url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf ? csrf.content : "", Accept: "application/json" }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        button.disabled = false;
        if (!r.ok) { button.dataset.outcome = "error"; box.textContent = body.detail || String(r.status); box.hidden = false; return; }
        button.dataset.outcome = "done";
        var device = button.dataset.device;
        box.textContent = "";
        if (body.key) {
          box.appendChild(document.createTextNode(box.dataset.labelKey.replace("{device}", device) + " "));
          var code = document.createElement("code");
          code.id = "fa-key-value";
          code.textContent = body.key;
          box.appendChild(code);
        } else {
          box.textContent = box.dataset.labelRevoked.replace("{device}", device);
        }
        box.hidden = false;
      });
    });
  });
})();
