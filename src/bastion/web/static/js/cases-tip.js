// The tip page (/tips): a village committee member enters a tip (kind, description, photo,
// the phone's position) that is queued on the phone (the floor's offline kit, js/offline/) as
// one multipart operation with a client UUID and the phone's time, and sent when a network is
// there; a re-send is answered "duplicate". Below: the member's own tips with their state
// (received, acted on), as last fetched online, and those not yet sent.
(function () {
  "use strict";
  var root = document.getElementById("tips");
  if (!root) { return; }
  var kit = window.BastionOffline;
  var store = kit.store;
  var forms = kit.forms;
  var words = JSON.parse(root.dataset.words);
  var language = root.dataset.language;
  var zone = root.dataset.zone || undefined;
  var locale = language === "en" ? "en-GB" : "zh-CN";
  var userKey = root.dataset.userId;
  var API = "/api/v1/tips";
  var MINE_KEY = "tips-mine:" + userKey;
  var KIND = "tip:" + userKey;
  var $ = function (id) { return document.getElementById(id); };
  var fill = function (text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) {
      return values[k] === undefined ? m : values[k];
    });
  };
  function shownTime(value) {
    var options = { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
                    hour: "2-digit", minute: "2-digit" };
    try { return new Date(value).toLocaleString(locale, options); }
    catch (e) { return new Date(value).toLocaleString(locale); }
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  var sync = new kit.Sync({ user: userKey });
  var fix = null;
  var mine = [];      // as the server last said
  var local = [];     // kept on this phone

  // --- sync status -------------------------------------------------------------------------
  var lastPending = null;
  sync.onChange(function (s) {
    $("net-state").textContent = navigator.onLine ? words.online : words.offline;
    root.dataset.net = navigator.onLine ? "online" : "offline";
    $("queue-state").textContent = s.pending ? fill(words.queue, { n: s.pending }) : words.queue_empty;
    root.dataset.pending = String(s.pending);
    root.dataset.syncState = s.state;
    root.dataset.sent = String(s.sent);
    root.dataset.duplicates = String(s.duplicates);
    $("sync-progress").textContent = s.total ? fill(words.progress, { sent: s.sent, total: s.total }) : "";
    $("sync-wait").textContent = s.state === "login" ? words.login :
      (s.next_try && s.pending ? fill(words.waiting, { time: shownTime(s.next_try) }) : "");
    var list = $("sync-problems");
    list.textContent = "";
    s.conflicts.concat(s.rejected).forEach(function (op) {
      var li = el("li", "problem " + op.state,
                  (op.state === "conflict" ? words.conflict : words.rejected) + " · " +
                  op.label + ": " + (op.error || ""));
      var retry = el("button", "secondary", words.retry);
      retry.type = "button";
      retry.addEventListener("click", function () { sync.retry(op.seq); });
      var drop = el("button", "link", words.discard);
      drop.type = "button";
      drop.addEventListener("click", function () {
        if (window.confirm(words.discard_confirm)) { sync.discard(op.seq); }
      });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(retry);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(drop);
      list.appendChild(li);
    });
    root.dataset.problems = String(s.conflicts.length + s.rejected.length);
    if (lastPending !== null && s.pending < lastPending && navigator.onLine) { loadMine(); }
    lastPending = s.pending;
  });
  $("sync-now").addEventListener("click", function () { sync.syncNow(); });

  // --- my tips -----------------------------------------------------------------------------
  function loadMine() {
    return fetch(API + "/mine?limit=50", { credentials: "same-origin", cache: "no-store",
                                            headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (page) {
        mine = page.items || [];
        $("mine-state").textContent = "";
        return store.kvSet(MINE_KEY, { saved_at: new Date().toISOString(), items: mine });
      })
      .catch(function () {
        return store.kvGet(MINE_KEY).then(function (saved) {
          if (saved) {
            mine = saved.items || [];
            $("mine-state").textContent = fill(words.mine_offline, { time: shownTime(saved.saved_at) });
          }
        });
      })
      .then(render);
  }

  function render() {
    var list = $("tip-list");
    list.textContent = "";
    var sent = {};
    mine.forEach(function (t) { sent[t.client_id] = true; });
    var rows = local.filter(function (t) { return !sent[t.client_id]; }).map(function (t) {
      return { client_id: t.client_id, kind: t.kind, description: t.description,
               device_at: t.device_at, status: null };
    }).concat(mine);
    if (!rows.length) { list.appendChild(el("li", "muted", words.none)); }
    rows.forEach(function (t) {
      var li = el("li", t.status === "acted_on" ? "done" : "");
      li.dataset.tip = t.client_id;
      li.dataset.status = t.status || "pending";
      li.appendChild(el("h2", null, (words.kinds[t.kind] || t.kind) + " · " + shownTime(t.device_at)));
      if (t.description) { li.appendChild(el("p", null, t.description)); }
      li.appendChild(el("p", "tip-status", t.status ? words.states[t.status] : words.not_sent));
      list.appendChild(li);
    });
  }

  // --- the form ----------------------------------------------------------------------------
  function locate() {
    return forms.position({ timeout: 3000, maximumAge: 60000 }).then(function (found) {
      fix = found;
      $("tip-fix").textContent = found ? fill(words.fix, {
        lat: found.lat.toFixed(5), lon: found.lon.toFixed(5), m: Math.round(found.accuracy_m || 0)
      }) : words.no_fix;
    });
  }

  $("tip-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var state = $("tip-state");
    var kind = $("tip-kind").value;
    var description = $("tip-description").value.trim();
    var photo = forms.photo($("tip-photo"));
    if (!kind) { state.textContent = words.choose_kind; return; }
    if (!description && !photo) { state.textContent = words.describe; return; }
    state.textContent = "";
    $("tip-send").disabled = true;
    var fields = { client_id: forms.uuid(), kind: kind, description: description,
                   device_at: forms.deviceTime() };
    locate().then(function () {
      if (fix) { fields.lon = String(fix.lon); fields.lat = String(fix.lat); }
      var op = { op_id: fields.client_id, method: "POST", url: API, label: words.op,
                 kind: "tip", user: userKey,
                 form: { fields: fields, files: photo ? [{ name: "photo", blob: photo.blob,
                                                            filename: photo.filename }] : [] } };
      var value = { client_id: fields.client_id, kind: kind, description: description,
                    device_at: fields.device_at };
      return store.enqueue(op, { kind: KIND, id: fields.client_id, value: value }).then(function () {
        local.push(value);
        $("tip-form").reset();
        state.textContent = words.kept;
        root.dataset.kept = String(local.length);
        $("tip-send").disabled = false;
        render();
        return sync.refresh();
      });
    }).then(function () { sync.syncNow(); });
  });

  // --- begin -------------------------------------------------------------------------------
  if (!window.isSecureContext) { $("insecure").hidden = false; }
  store.list(KIND).then(function (kept) {
    local = kept || [];
    return loadMine();
  }).then(function () {
    root.dataset.ready = "true";
    return sync.start();
  });
})();
