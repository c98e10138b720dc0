// The outreach field page (/outreach/field): a legal-outreach visit entered on the phone with
// no network. The linked villages are kept on the phone; each visit is queued by the floor's
// offline kit (js/offline/) with a client UUID and sent in order, its photo after it by the
// same client id; a re-upload is answered "duplicate".
(function () {
  "use strict";
  var root = document.getElementById("outreach-field");
  if (!root) { return; }
  var kit = window.BastionOffline;
  var store = kit.store;
  var forms = kit.forms;
  var words = JSON.parse(root.dataset.words);
  var userKey = root.dataset.userId;
  var KIT_KEY = "outreach-villages:" + userKey;
  var $ = function (id) { return document.getElementById(id); };
  var fill = function (text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) { return values[k] === undefined ? m : values[k]; });
  };
  var sync = new kit.Sync({ user: userKey });
  sync.onChange(function (s) {
    $("net-state").textContent = navigator.onLine ? words.online : words.offline;
    root.dataset.net = navigator.onLine ? "online" : "offline";
    root.dataset.problems = String(s.conflicts.length + s.rejected.length);
    $("queue-state").textContent = s.pending ? fill(words.queue, { n: s.pending }) : words.queue_empty;
    root.dataset.pending = String(s.pending);
    root.dataset.sent = String(s.sent);
    $("sync-progress").textContent = s.total ? fill(words.progress, { sent: s.sent, total: s.total }) : "";
    var list = $("sync-problems");
    list.textContent = "";
    s.conflicts.concat(s.rejected).forEach(function (op) {
      var li = document.createElement("li");
      li.textContent = (op.state === "conflict" ? words.conflict : words.rejected) + " · " + op.label + ": " + (op.error || "");
      list.appendChild(li);
    });
    if (s.state === "login") { $("sync-progress").textContent = words.login; }
  });
  $("sync-now").addEventListener("click", function () { sync.syncNow(); });

  function loadVillages() {
    return fetch("/api/v1/outreach/villages?limit=200", { credentials: "same-origin", cache: "no-store",
                                                          headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (page) {
        return store.kvSet(KIT_KEY, { saved_at: new Date().toISOString(), items: page.items })
          .then(function () { root.dataset.kit = "online"; return page.items; });
      })
      .catch(function () {
        return store.kvGet(KIT_KEY).then(function (saved) {
          root.dataset.kit = saved ? "kept" : "missing";
          if (!saved) { $("kit-state").textContent = words.kit_missing; return []; }
          $("kit-state").textContent = fill(words.kit_offline, { time: saved.saved_at });
          return saved.items;
        });
      });
  }

  function fillForm(villages) {
    var select = $("field-link");
    villages.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v.post_agency_id + ":" + v.village_id;
      o.textContent = v.village + " · " + v.post;
      select.appendChild(o);
    });
    var topic = $("field-topic");
    Object.keys(words.topics).forEach(function (k) {
      var o = document.createElement("option");
      o.value = k;
      o.textContent = words.topics[k];
      topic.appendChild(o);
    });
    var now = new Date();
    now.setMinutes(now.getMinutes() - now.getTimezoneOffset());  // the phone's own day
    $("field-date").value = now.toISOString().slice(0, 10);
  }

  $("field-visit").addEventListener("submit", function (event) {
    event.preventDefault();
    var link = $("field-link").value;
    if (!link) { $("field-state").textContent = words.choose_village; return; }
    var parts = link.split(":");
    var clientId = forms.uuid();
    var payload = {
      client_id: clientId, post_agency_id: Number(parts[0]), village_id: Number(parts[1]),
      visited_on: $("field-date").value, topic: $("field-topic").value,
      attendees: Number($("field-attendees").value || 0),
      officers: $("field-officers").value.split(",").map(function (s) { return s.trim(); })
        .filter(function (s) { return s; }),
      materials: $("field-materials").value
    };
    var photo = forms.photo($("field-photo"));
    var op = { op_id: clientId, method: "POST", url: "/api/v1/outreach/visits", json: payload,
               label: words.op, kind: "outreach_visit", user: userKey };
    store.enqueue(op, { kind: "outreach-visit:" + userKey, id: clientId, value: payload })
      .then(function () {
        if (!photo) { return null; }
        $("field-photo").value = "";
        return store.enqueue({ op_id: clientId + ":photo", method: "POST", url: "/api/v1/outreach/photos",
                               label: words.op_photo, kind: "photo", user: userKey,
                               form: { fields: { client_id: clientId },
                                       files: [{ name: "file", blob: photo.blob, filename: photo.filename }] } });
      })
      .then(function () {
        $("field-state").textContent = words.saved;
        $("field-attendees").value = "0";
        return sync.refresh();
      })
      .then(function () { sync.syncNow(); });
  });

  loadVillages().then(function (villages) {
    fillForm(villages || []);
    root.dataset.ready = "true";
    return sync.start();
  });
})();
