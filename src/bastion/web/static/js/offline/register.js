// Bastion offline kit: install the service worker (served from the root, /sw.js) so that the
// page opens with no network. <body data-offline-ready="true"> once the worker is active and
// has precached the page and its files; "unsupported" where there are no service workers
// (an insecure context: http:// other than the loopback; see /help/certificate).
(function () {
  "use strict";
  var body = document.body;
  if (!("serviceWorker" in navigator)) {
    body.dataset.offlineReady = "unsupported";
    return;
  }
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function () {
    body.dataset.offlineReady = "true";
  }).catch(function (error) {
    body.dataset.offlineReady = "failed";
    body.dataset.offlineError = String(error && error.message || error);
  });
})();
