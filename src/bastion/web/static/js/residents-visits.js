// The home-visit field page (/residents/visits/field): the post's open visits, kept on the
// phone with only what is needed at the door, and a result form for each. A result is queued
// on the phone (the floor's offline kit, js/offline/) with a client id and the phone's time,
// and sent in order when a network is there; a re-upload is answered "duplicate".
(function () {
  "use strict";
  var root = document.getElementById("visits");
  if (!root) { return; }
  var kit = window.BastionOffline;
  var store = kit.store;
  var forms = kit.forms;
  var words = JSON.parse(root.dataset.words);
  var userKey = root.dataset.userId;
  var API = "/api/v1/residents/visits";
  var KIT_KEY = "visit-field-kit:" + userKey;
  var RESULT_KIND = "visit-result:" + userKey;
  var tools = kit.tools(root);
  var $ = tools.$;
  var fill = tools.fill;
  var shownTime = tools.shownTime;
  var el = tools.el;

  var sync = new kit.Sync({ user: userKey });
  var fieldKit = null;
  var kept = {};  // task id -> the result kept on this phone

  // --- sync status -------------------------------------------------------------------------
  kit.statusPanel(root, sync, words);

  // --- the field kit -----------------------------------------------------------------------
  function loadKit() {
    return fetch(API + "/field-kit", { credentials: "same-origin", cache: "no-store",
                                       headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (data) {
        return store.kvSet(KIT_KEY, { saved_at: new Date().toISOString(), data: data })
          .then(function () { $("kit-state").textContent = ""; root.dataset.kit = "online"; return data; });
      })
      .catch(function () {
        return store.kvGet(KIT_KEY).then(function (saved) {
          root.dataset.kit = saved ? "kept" : "missing";
          if (!saved) { $("kit-state").textContent = words.kit_missing; return null; }
          $("kit-state").textContent = fill(words.kit_offline, { time: shownTime(saved.saved_at) });
          return saved.data;
        });
      });
  }

  // --- the list ----------------------------------------------------------------------------
  function render() {
    var list = $("visit-list");
    list.textContent = "";
    var persons = {};
    (fieldKit.persons || []).forEach(function (p) { persons[p.id] = p; });
    if (!(fieldKit.tasks || []).length) { list.appendChild(el("li", "muted", words.no_tasks)); }
    (fieldKit.tasks || []).forEach(function (task) {
      var person = persons[task.resident_id] || {};
      var li = el("li", "visit");
      li.id = "visit-" + task.id;
      li.dataset.visit = String(task.id);
      var names = [person.name, person.name_han, person.name_latin].filter(function (n, i, all) {
        return n && all.indexOf(n) === i;
      });
      li.appendChild(el("h2", null, names.join(" · ")));
      var facts = el("p", "facts");
      facts.appendChild(el("span", null, words.village + ": " + (person.village || "—")));
      facts.appendChild(el("br"));
      facts.appendChild(el("span", null, words.address + ": " + (person.address || "—")));
      if (task.due) {
        facts.appendChild(el("br"));
        facts.appendChild(el("span", null, fill(words.due, { date: task.due })));
      }
      li.appendChild(facts);
      if (task.reason) { li.appendChild(el("p", "muted", task.reason)); }
      var done = kept[task.id];
      if (done) {
        li.className += " done";
        li.dataset.state = "kept";
        li.appendChild(el("p", "recorded", fill(words.recorded, { result: words.results[done.result] || done.result })));
      } else {
        li.appendChild(resultForm(task));
      }
      list.appendChild(li);
    });
  }

  function resultForm(task) {
    var form = el("form", "result-form");
    form.noValidate = true;
    var label = el("label", null, words.result);
    var select = el("select");
    select.name = "result";
    select.appendChild(el("option", null, "—")).value = "";
    (fieldKit.results || Object.keys(words.results)).forEach(function (r) {
      var o = el("option", null, words.results[r] || r);
      o.value = r;
      select.appendChild(o);
    });
    label.appendChild(select);
    form.appendChild(label);
    var notesLabel = el("label", null, words.notes);
    var notes = el("textarea");
    notes.name = "notes";
    notes.rows = 2;
    notes.maxLength = 4000;
    notesLabel.appendChild(notes);
    form.appendChild(notesLabel);
    var state = el("p", "error");
    state.setAttribute("role", "status");
    form.appendChild(state);
    var button = el("button", null, words.save);
    button.type = "submit";
    form.appendChild(button);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!select.value) { state.textContent = words.choose_result; return; }
      button.disabled = true;
      var payload = { client_id: forms.uuid(), result: select.value, notes: notes.value,
                      device_at: forms.deviceTime() };
      forms.position({ timeout: 3000, maximumAge: 60000 }).then(function (fix) {
        if (fix) { payload.lon = fix.lon; payload.lat = fix.lat; }
        var op = { op_id: payload.client_id, method: "POST", json: payload,
                   url: API + "/" + task.id + "/result", label: words.op, kind: "visit_result",
                   user: userKey };
        var value = { task_id: task.id, result: payload.result, notes: payload.notes,
                      client_id: payload.client_id };
        return store.enqueue(op, { kind: RESULT_KIND, id: String(task.id), value: value })
          .then(function () {
            kept[task.id] = value;
            render();
            return sync.refresh();
          }).then(function () { sync.syncNow(); });
      });
    });
    return form;
  }

  // --- begin -------------------------------------------------------------------------------
  if (!window.isSecureContext) { $("insecure").hidden = false; }
  Promise.all([loadKit(), store.list(RESULT_KIND)]).then(function (got) {
    fieldKit = got[0] || { tasks: [], persons: [], results: null };
    (got[1] || []).forEach(function (v) { kept[v.task_id] = v; });
    render();
    root.dataset.ready = "true";
    return sync.start();
  });
})();
