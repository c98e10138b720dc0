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
  var userKey = root.dataset.userId;
  var API = "/api/v1/tips";
  var MINE_KEY = "tips-mine:" + userKey;
  var KIND = "tip:" + userKey;
  var tools = kit.tools(root);
  var $ = tools.$;
  var fill = tools.fill;
  var shownTime = tools.shownTime;
  var el = tools.el;

  var sync = new kit.Sync({ user: userKey });
  var fix = null;
  var mine = [];      // as the server last said
  var local = [];     // kept on this phone

  // --- sync status -------------------------------------------------------------------------
  var lastPending = null;
  kit.statusPanel(root, sync, words, function (s) {
    if (lastPending !== null && s.pending < lastPending && navigator.onLine) { loadMine(); }
    lastPending = s.pending;
  });

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
