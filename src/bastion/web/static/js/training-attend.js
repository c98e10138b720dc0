// The attendance phone page (/training/attend): the events the unit holds this week, kept on
// the phone with their people, and a present/absent mark for each person. Each mark is queued
// on the phone (the floor's offline kit, js/offline/) with a client id and the phone's time,
// and sent in order when a network is there; a re-upload is answered "duplicate".
(function () {
  "use strict";
  var root = document.getElementById("attend");
  if (!root) { return; }
  var kit = window.BastionOffline;
  var store = kit.store;
  var forms = kit.forms;
  var words = JSON.parse(root.dataset.words);
  var userKey = root.dataset.userId;
  var API = "/api/v1/training";
  var KIT_KEY = "training-attend-kit:" + userKey;
  var MARK_KIND = "training-attendance:" + userKey;
  var $ = function (id) { return document.getElementById(id); };
  var fill = function (text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) {
      return values[k] === undefined ? m : values[k];
    });
  };
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  var sync = new kit.Sync({ user: userKey });
  var fieldKit = { events: [] };
  var marks = {};  // "event:person" -> {present, reason}

  sync.onChange(function (s) {
    $("net-state").textContent = navigator.onLine ? words.online : words.offline;
    root.dataset.net = navigator.onLine ? "online" : "offline";
    root.dataset.problems = String(s.conflicts.length + s.rejected.length);
    root.dataset.pending = String(s.pending);
    root.dataset.syncState = s.state;
    root.dataset.duplicates = String(s.duplicates);
    $("queue-state").textContent = s.pending ? fill(words.queue, { n: s.pending }) : words.queue_empty;
    var list = $("sync-problems");
    list.textContent = "";
    s.conflicts.concat(s.rejected).forEach(function (op) {
      list.appendChild(el("li", "problem", words.problems + " · " + op.label + ": " + (op.error || "")));
    });
  });
  $("sync-now").addEventListener("click", function () { sync.syncNow(); });

  function loadKit() {
    return fetch(API + "/field-kit", { credentials: "same-origin", cache: "no-store",
                                       headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        return store.kvSet(KIT_KEY, { saved_at: new Date().toISOString(), data: data })
          .then(function () { root.dataset.kit = "online"; return data; });
      })
      .catch(function () {
        return store.kvGet(KIT_KEY).then(function (saved) {
          root.dataset.kit = saved ? "kept" : "missing";
          if (!saved) { $("kit-state").textContent = words.kit_missing; return null; }
          $("kit-state").textContent = fill(words.kit_offline, { time: new Date(saved.saved_at).toLocaleString() });
          return saved.data;
        });
      });
  }

  function send(eventId, person, present, reason) {
    var payload = { client_id: forms.uuid(), present: present, reason: reason || "",
                    device_at: forms.deviceTime() };
    if (person.id) { payload.user_id = person.id; } else { payload.name = person.name; }
    var key = eventId + ":" + (person.id || person.name);
    var op = { op_id: payload.client_id, method: "POST", json: payload,
               url: API + "/events/" + eventId + "/attendance", label: words.op + " · " + person.name,
               kind: "training_attendance", user: userKey };
    var value = { key: key, present: present, reason: payload.reason };
    return store.enqueue(op, { kind: MARK_KIND, id: key, value: value }).then(function () {
      marks[key] = value;
      render();
      return sync.refresh();
    }).then(function () { sync.syncNow(); });
  }

  function personRow(event, person) {
    var key = event.event.id + ":" + (person.id || person.name);
    var li = el("li", "person");
    li.dataset.person = person.name;
    li.appendChild(el("span", "name", person.name + " "));
    var mark = marks[key];
    if (mark) {
      li.dataset.state = mark.present ? "present" : "absent";
      li.appendChild(el("strong", null, mark.present ? words.present : words.absent + (mark.reason ? ": " + mark.reason : "")));
      li.appendChild(document.createTextNode(" "));
    }
    var here = el("button", "secondary", words.present);
    here.type = "button";
    here.className = "mark-present";
    here.addEventListener("click", function () { send(event.event.id, person, true, ""); });
    li.appendChild(here);
    var reason = el("input");
    reason.placeholder = words.reason;
    reason.maxLength = 400;
    var away = el("button", "secondary", words.absent);
    away.type = "button";
    away.className = "mark-absent";
    away.addEventListener("click", function () {
      if (!reason.value.trim()) { reason.setCustomValidity(words.choose_reason); reason.reportValidity(); return; }
      send(event.event.id, person, false, reason.value.trim());
    });
    li.appendChild(document.createTextNode(" "));
    li.appendChild(reason);
    li.appendChild(away);
    return li;
  }

  function render() {
    var holder = $("event-list");
    holder.textContent = "";
    if (!fieldKit.events.length) { holder.appendChild(el("p", "muted", words.no_events)); }
    fieldKit.events.forEach(function (event) {
      var card = el("section", "card");
      card.dataset.event = String(event.event.id);
      var title = el("h2", null, event.event.kind_label + " · " + event.event.title + " · " +
                     new Date(event.event.starts_at).toLocaleString());
      if (event.event.exercise_mode) { title.appendChild(el("span", "badge exercise-badge", " " + words.exercise)); }
      card.appendChild(title);
      (event.recorded || []).forEach(function (r) {
        var key = event.event.id + ":" + (r.user_id || r.name);
        if (!marks[key]) { marks[key] = { key: key, present: r.present, reason: r.reason }; }
      });
      var list = el("ul", "people");
      var named = {};
      event.people.forEach(function (p) { named[p.id] = true; list.appendChild(personRow(event, p)); });
      (event.recorded || []).forEach(function (r) {
        if (!r.user_id) { list.appendChild(personRow(event, { id: null, name: r.name })); }
      });
      card.appendChild(list);
      var other = el("input");
      other.placeholder = words.other_person;
      other.maxLength = 100;
      var add = el("button", "secondary", words.add);
      add.type = "button";
      add.addEventListener("click", function () {
        if (other.value.trim()) { send(event.event.id, { id: null, name: other.value.trim() }, true, ""); }
      });
      card.appendChild(other);
      card.appendChild(add);
      holder.appendChild(card);
    });
  }

  if (!window.isSecureContext) { $("insecure").hidden = false; }
  Promise.all([loadKit(), store.list(MARK_KIND)]).then(function (got) {
    fieldKit = got[0] || { events: [] };
    (got[1] || []).forEach(function (v) { marks[v.key] = v; });
    render();
    root.dataset.ready = "true";
    return sync.start();
  });
})();
