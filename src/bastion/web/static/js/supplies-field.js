// The post's issue/return page on the phone (/supplies/field): the stores, catalogue and
// people are kept on the phone (the floor's offline kit, js/offline/); each issue or return is
// queued with a client id and sent in order when a network is there (a re-upload is answered
// "duplicate").
(function () {
  "use strict";
  var root = document.getElementById("supplies-field");
  if (!root) { return; }
  var kit = window.BastionOffline;
  var store = kit.store;
  var forms = kit.forms;
  var words = JSON.parse(root.dataset.words);
  var userKey = root.dataset.userId;
  var KIT_KEY = "supplies-field-kit:" + userKey;
  var $ = function (id) { return document.getElementById(id); };
  var fill = function (text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) { return values[k] === undefined ? m : values[k]; });
  };
  var sync = new kit.Sync({ user: userKey });
  var fieldKit = { stores: [], items: [], people: {} };

  sync.onChange(function (s) {
    $("net-state").textContent = navigator.onLine ? words.online : words.offline;
    $("queue-state").textContent = s.pending ? fill(words.queue, { n: s.pending }) : words.queue_empty;
    root.dataset.pending = String(s.pending);
    root.dataset.sent = String(s.sent);
    root.dataset.duplicates = String(s.duplicates);
    var list = $("sync-problems");
    list.textContent = "";
    s.conflicts.concat(s.rejected).forEach(function (op) {
      var li = document.createElement("li");
      li.textContent = (op.state === "conflict" ? words.conflict : words.rejected) + " · " + (op.error || "");
      list.appendChild(li);
    });
    root.dataset.problems = String(s.conflicts.length + s.rejected.length);
  });
  $("sync-now").addEventListener("click", function () { sync.syncNow(); });

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }
  function people() {
    var list = $("f-people");
    list.textContent = "";
    (fieldKit.people[$("f-store").value] || []).forEach(function (name) { option(list, name, name); });
  }
  function render() {
    var stores = $("f-store");
    var items = $("f-item");
    stores.textContent = "";
    items.textContent = "";
    fieldKit.stores.forEach(function (s) { option(stores, s.id, s.name); });
    fieldKit.items.forEach(function (i) { option(items, i.code, i.code + " " + i.name + " (" + i.unit + ")"); });
    people();
  }
  $("f-store").addEventListener("change", people);

  function loadKit() {
    return fetch("/api/v1/supplies/field-kit", { credentials: "same-origin", cache: "no-store",
                                                 headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        return store.kvSet(KIT_KEY, { saved_at: new Date().toISOString(), data: data })
          .then(function () { root.dataset.kit = "online"; return data; });
      })
      .catch(function () {
        return store.kvGet(KIT_KEY).then(function (saved) {
          root.dataset.kit = saved ? "kept" : "missing";
          $("kit-state").textContent = saved ? fill(words.kit_offline, { time: saved.saved_at }) : words.kit_missing;
          return saved ? saved.data : null;
        });
      });
  }

  $("field-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var kind = $("f-kind").value;
    var storeId = parseInt($("f-store").value, 10);
    var person = $("f-person").value.trim();
    if (!$("f-item").value || !storeId || !person) { $("f-state").textContent = words.choose; return; }
    var payload = { client_id: forms.uuid(), kind: kind, item_code: $("f-item").value,
                    quantity: parseInt($("f-quantity").value, 10) || 1, person_name: person,
                    note: $("f-note").value, occurred_at: new Date().toISOString() };
    if ($("f-serial").value.trim()) { payload.serial = $("f-serial").value.trim(); }
    if (kind === "issue") { payload.from_agency_id = storeId; } else { payload.to_agency_id = storeId; }
    var op = { op_id: payload.client_id, method: "POST", json: payload, url: "/api/v1/supplies/movements",
               label: words.op, kind: "supply_movement", user: userKey };
    store.enqueue(op, null).then(function () {
      $("f-state").textContent = words.kept;
      $("f-person").value = "";
      $("f-serial").value = "";
      return sync.refresh();
    }).then(function () { sync.syncNow(); });
  });

  if (!window.isSecureContext) { $("kit-state").textContent = ""; }
  loadKit().then(function (data) {
    fieldKit = data || fieldKit;
    render();
    root.dataset.ready = "true";
    return sync.start();
  });
})();
