// The hazard field page (/hazards/field): report a hazard with a category, a note, a photo
// and a GPS fix, with or without a network. The report is queued on the phone (the floor's
// offline kit, js/offline/) with a client UUID and the phone's time, then its photo as a
// second operation; both are sent in order when a network is there, and a re-upload is
// answered "duplicate". The categories and posts come from the field kit, kept on the phone.
(function () {
  "use strict";
  var root = document.getElementById("hazard-field");
  if (!root) { return; }
  var kit = window.BastionOffline;
  var store = kit.store;
  var forms = kit.forms;
  var words = JSON.parse(root.dataset.words);
  var userKey = root.dataset.userId;
  var API = "/api/v1/hazards";
  var KIT_KEY = "hazard-field-kit:" + userKey;
  var KIND = "hazard-report:" + userKey;
  var tools = kit.tools(root);
  var $ = tools.$;
  var fill = tools.fill;
  var shownTime = tools.shownTime;
  var el = tools.el;
  var sync = new kit.Sync({ user: userKey });
  var fix = null;

  kit.statusPanel(root, sync, words, function () { showReports(); });

  function loadKit() {
    return fetch(API + "/field-kit", { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        return store.kvSet(KIT_KEY, { saved_at: new Date().toISOString(), data: data })
          .then(function () { root.dataset.kit = "online"; return data; });
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

  function fillForm(data) {
    var cats = $("f-category");
    cats.textContent = "";
    cats.appendChild(el("option", null, "—")).value = "";
    (data.categories || []).forEach(function (c) {
      var o = el("option", null, c.name);
      o.value = c.code;
      cats.appendChild(o);
    });
    var posts = $("f-post");
    posts.textContent = "";
    if (data.own_post) { $("f-post-field").hidden = true; return; }
    posts.appendChild(el("option", null, "—")).value = "";
    (data.posts || []).forEach(function (p) {
      var o = el("option", null, p.name);
      o.value = String(p.id);
      posts.appendChild(o);
    });
  }

  function locate() {
    $("f-fix").textContent = words.locating;
    return forms.position({ timeout: 15000, maximumAge: 30000 }).then(function (got) {
      fix = got;
      $("f-fix").textContent = got ? fill(words.fix, { lat: got.lat.toFixed(5), lon: got.lon.toFixed(5),
                                                      acc: Math.round(got.accuracy_m || 0) }) : words.no_fix;
      root.dataset.fix = got ? "1" : "0";
      return got;
    });
  }
  $("f-locate").addEventListener("click", locate);

  function showReports() {
    store.list(KIND).then(function (rows) {
      var list = $("field-reports");
      list.textContent = "";
      rows.sort(function (a, b) { return a.at < b.at ? 1 : -1; }).forEach(function (r) {
        var li = el("li", null, shownTime(r.at) + " · " + r.label + (r.note ? " · " + r.note : ""));
        li.dataset.clientId = r.client_id;
        list.appendChild(li);
      });
      root.dataset.reports = String(rows.length);
    });
  }

  $("field-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var error = $("f-error");
    error.textContent = "";
    var category = $("f-category").value;
    if (!category) { error.textContent = words.choose_category; return; }
    var post = $("f-post").value;
    if (!$("f-post-field").hidden && !post) { error.textContent = words.choose_post; return; }
    var button = $("f-submit");
    button.disabled = true;
    (fix ? Promise.resolve(fix) : locate()).then(function (got) {
      if (!got) { error.textContent = words.no_fix; button.disabled = false; return null; }
      var id = forms.uuid();
      var payload = { client_id: id, category: category, note: $("f-note").value, marker: $("f-marker").value,
                      lon: got.lon, lat: got.lat, device_at: forms.deviceTime() };
      var estimate = $("f-estimate").value;
      if (estimate !== "") { payload.estimate = Number(estimate); }
      if (post) { payload.post_agency_id = Number(post); }
      var photo = forms.photo($("f-photo"));
      var label = $("f-category").selectedOptions[0].textContent;
      var op = { op_id: id, method: "POST", url: API, json: payload, label: words.op_report, kind: "hazard", user: userKey };
      return store.enqueue(op, { kind: KIND, id: id, value: { client_id: id, label: label, note: payload.note, at: new Date().toISOString() } })
        .then(function () {
          if (!photo) { return null; }
          return store.enqueue({ op_id: id + ":photo", method: "POST", url: API + "/field/photos", label: words.op_photo,
                                 kind: "photo", user: userKey,
                                 form: { fields: { client_id: id }, files: [{ name: "file", blob: photo.blob, filename: photo.filename }] } });
        })
        .then(function () {
          $("field-form").reset();
          fix = null;
          $("f-fix").textContent = "";
          error.textContent = words.kept;
          button.disabled = false;
          return sync.refresh();
        })
        .then(function () { showReports(); sync.syncNow(); });
    });
  });

  if (!window.isSecureContext) { $("insecure").hidden = false; }
  loadKit().then(function (data) {
    fillForm(data || { categories: [], posts: [] });
    showReports();
    root.dataset.ready = "true";
    return sync.start();
  });
})();
