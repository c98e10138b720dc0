/* The check-in page: the big button posts a check-in with a fresh client id and the phone's
   time; without a network the check-in is kept on the phone (localStorage) and sent again when
   the network is back (the API treats the same client id as the same check-in). Without
   JavaScript the form posts to /duty/checkin instead. */
(function () {
  "use strict";
  var card = document.getElementById("checkin");
  if (!card) { return; }
  var form = document.getElementById("checkin-form");
  var button = document.getElementById("checkin-button");
  var result = document.getElementById("checkin-result");
  var KEY = "bastion.duty.checkins";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function offsetIso(date) {
    var off = -date.getTimezoneOffset();
    var sign = off >= 0 ? "+" : "-";
    var pad = function (n) { return String(Math.floor(Math.abs(n))).padStart(2, "0"); };
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      sign + pad(off / 60) + ":" + pad(off % 60);
  }
  function pending() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function keep(list) { localStorage.setItem(KEY, JSON.stringify(list)); }
  function timeText(iso) {
    var d = new Date(iso);
    return d.toLocaleString(document.body.dataset.language || undefined,
      { timeZone: document.body.dataset.timezone || undefined, hour12: false });
  }
  function send(item) {
    return fetch(card.dataset.postUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(item)
    }).then(function (response) {
      if (response.ok) { return response.json(); }
      if (response.status >= 400 && response.status < 500) {
        return response.json().then(function (body) { throw { refused: true, body: body }; });
      }
      throw { refused: false };
    });
  }
  function refresh() {
    fetch(card.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        if (s.last_checkin_at) { document.getElementById("checkin-last").textContent = timeText(s.last_checkin_at); }
        if (s.next_due_at) { document.getElementById("checkin-next").textContent = timeText(s.next_due_at); }
      }).catch(function () {});
  }
  function flush() {
    var list = pending();
    if (!list.length) { return Promise.resolve(); }
    var item = list[0];
    return send(item).then(function () {
      keep(pending().filter(function (p) { return p.client_id !== item.client_id; }));
      return flush();
    }, function (err) {
      if (err && err.refused) {  // refused for good: drop it, say so
        keep(pending().filter(function (p) { return p.client_id !== item.client_id; }));
      }
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    var item = { client_id: uuid(), device_at: offsetIso(new Date()) };
    var fix = function (pos) {
      if (pos) { item.lon = pos.coords.longitude; item.lat = pos.coords.latitude; }
      var list = pending(); list.push(item); keep(list);
      flush().then(function () {
        var left = pending().some(function (p) { return p.client_id === item.client_id; });
        result.textContent = left ? result.dataset.failed
          : result.dataset.done.replace("{time}", timeText(item.device_at));
        button.disabled = false;
        refresh();
      });
    };
    if (navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(fix, function () { fix(null); },
        { timeout: 5000, maximumAge: 60000 });
    } else { fix(null); }
  });
  window.addEventListener("online", flush);
  flush();
})();
