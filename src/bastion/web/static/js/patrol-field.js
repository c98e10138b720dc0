// The patrol field page (/patrols/field): a whole patrol with no network. Start, the track
// from the phone's location in batches of fixes, check-ins at checkpoints (offered when within
// the radius; a QR code read from a photo, or typed), observations with their category's typed
// attributes and a photo, pause, resume, end, SOS. Everything is queued on the phone (the
// floor's offline kit, js/offline/) and sent in order when a network is there.
(function () {
  "use strict";
  var root = document.getElementById("field");
  if (!root) { return; }
  var kit = window.BastionOffline;
  var store = kit.store;
  var forms = kit.forms;
  var words = JSON.parse(root.dataset.words);
  var language = root.dataset.language;
  // Times in the page's language and the user's zone (the footer names it), not the phone's.
  var tools = kit.tools(root);
  var shownTime = tools.shownTime;
  var userKey = root.dataset.userId;
  var API = "/api/v1/patrols";
  var BATCH = 5;           // fixes per track upload
  var BATCH_SECONDS = 60;  // or this long since the first fix of the batch
  var $ = tools.$;
  var fill = tools.fill;

  var sync = new kit.Sync({ user: userKey });
  var fieldKit = null;   // GET /api/v1/patrols/field-kit, or the copy kept on the phone
  var current = null;    // the patrol on this phone: {patrol_id, status, checkins: {}, fixes}
  var buffer = [];       // fixes not yet queued: [[epoch_s, lon, lat, acc], ...]
  var lastFix = null;
  var watchId = null;
  var wakeLock = null;
  var map = null, trackLine = null, meMarker = null;

  // --- queue ---------------------------------------------------------------------------
  function queue(kind, url, payload, extra) {
    var op = { op_id: payload.op_id || payload.client_id, method: "POST", url: url,
               json: payload, label: words.ops[kind] || kind, kind: kind, user: userKey };
    Object.keys(extra || {}).forEach(function (k) { op[k] = extra[k]; });
    return op;
  }
  function send(op, record) {
    return store.enqueue(op, record).then(function () {
      return sync.refresh();
    }).then(function () { sync.syncNow(); });
  }
  function savePatrol() {
    return store.put("patrol-field", userKey, current);
  }
  function photoOp(record, clientId, photo) {
    return { op_id: clientId + ":photo", method: "POST", url: API + "/field/photos",
             label: words.ops.photo, kind: "photo", user: userKey,
             form: { fields: { record: record, client_id: clientId },
                     files: [{ name: "file", blob: photo.blob, filename: photo.filename }] } };
  }

  // --- sync status (the floor's panel, js/offline/status.js) ------------------------------
  kit.statusPanel(root, sync, words, null, true);

  // --- the field kit -------------------------------------------------------------------
  function loadKit() {
    return fetch(API + "/field-kit", { credentials: "same-origin", cache: "no-store",
                                       headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (data) {
        var kept = { saved_at: new Date().toISOString(), data: data };
        return store.kvSet("patrol-field-kit:" + userKey, kept).then(function () {
          $("kit-state").textContent = "";
          return data;
        });
      })
      .catch(function () {
        return store.kvGet("patrol-field-kit:" + userKey).then(function (kept) {
          if (!kept) { $("kit-state").textContent = words.kit_missing; return null; }
          $("kit-state").textContent = fill(words.kit_offline,
            { time: shownTime(kept.saved_at) });
          return kept.data;
        });
      });
  }

  function label(item) {
    if (!item) { return ""; }
    return (language === "en" ? (item.label_en || item.name_en || item.en)
                              : (item.label_zh || item.name_zh || item.zh)) ||
      item.label || item.name || item.code || "";
  }

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
    return o;
  }

  // --- start ---------------------------------------------------------------------------------
  function showStart() {
    $("start-panel").hidden = false;
    $("patrol-panel").hidden = true;
    root.dataset.patrol = "none";
    var plans = $("start-plan");
    plans.textContent = "";
    option(plans, "", words.new_patrol);
    (fieldKit.planned || []).forEach(function (p) {
      var when = fill(words.planned, { start: shownTime(p.planned_start),
                                       end: shownTime(p.planned_end, true) });
      var segment = segmentOf(p.segment_id);
      option(plans, p.client_id, when + (segment ? " · " + label(segment) : ""));
    });
    var segments = $("start-segment");
    segments.length = 1;
    segmentFeatures().forEach(function (f) {
      option(segments, f.properties.id, label(f.properties) || f.properties.code);
    });
    var transports = $("start-transport");
    transports.textContent = "";
    (fieldKit.transports || ["foot", "vehicle", "motorbike", "boat", "drone"]).forEach(function (t) {
      var code = typeof t === "string" ? t : t.code;
      option(transports, code, words.transport[code] || label(t) || code);
    });
    drawMembers([]);
    drawPartners();
  }

  function segmentFeatures() {
    var s = fieldKit.segments;
    return (s && s.features) || (Array.isArray(s) ? s : []);
  }
  function segmentOf(id) {
    return segmentFeatures().filter(function (f) { return f.properties.id === id; })
      .map(function (f) { return f.properties; })[0] || null;
  }

  function memberKey(m) { return m.user_id ? "u" + m.user_id : "n" + m.name + "@" + m.agency_id; }

  function drawMembers(chosen, keepEmpty) {
    var list = $("member-list");
    list.textContent = "";
    var me = fieldKit.user || {};
    // The post's people, then partner agencies' people this user has patrolled with.
    var people = [];
    (fieldKit.members || []).concat(fieldKit.partner_people || []).forEach(function (p) {
      if (!people.some(function (q) { return memberKey(q) === memberKey(p); })) { people.push(p); }
    });
    chosen.forEach(function (c) {
      if (!people.some(function (p) { return memberKey(p) === memberKey(c); })) { people.push(c); }
    });
    var picked = {};
    chosen.forEach(function (c) { picked[memberKey(c)] = c; });
    var noneChosen = !chosen.length && !keepEmpty;
    people.forEach(function (p, i) {
      var key = memberKey(p);
      var isMe = p.user_id && p.user_id === (me.id || me.user_id);
      var row = document.createElement("div");
      row.className = "member";
      row.dataset.key = key;
      var box = document.createElement("input");
      box.type = "checkbox";
      box.id = "member-" + i;
      box.checked = !!picked[key] || (noneChosen && isMe);
      var lab = document.createElement("label");
      lab.htmlFor = box.id;
      var agency = p.agency_name || partnerName(p.agency_id);
      lab.textContent = p.name + (agency ? " · " + agency : "");
      var lead = document.createElement("input");
      lead.type = "radio";
      lead.name = "leader";
      lead.value = key;
      lead.title = words.leader;
      lead.checked = picked[key] ? !!picked[key].is_leader : (noneChosen && isMe);
      var leadLabel = document.createElement("label");
      leadLabel.appendChild(lead);
      leadLabel.appendChild(document.createTextNode(" " + words.leader));
      var pilot = document.createElement("input");
      pilot.type = "checkbox";
      pilot.className = "pilot";
      pilot.checked = picked[key] ? !!picked[key].is_pilot : false;
      var pilotLabel = document.createElement("label");
      pilotLabel.appendChild(pilot);
      pilotLabel.appendChild(document.createTextNode(" " + words.pilot));
      row.appendChild(box);
      row.appendChild(lab);
      row.appendChild(leadLabel);
      row.appendChild(pilotLabel);
      row.person = p;
      list.appendChild(row);
    });
  }

  function partnerName(agencyId) {
    return (fieldKit.partners || []).filter(function (a) { return a.agency_id === agencyId; })
      .map(function (a) { return a.name; })[0] || "";
  }

  // A member of a partner agency (army, police) who is no user here: by name.
  function drawPartners() {
    var select = $("partner-agency");
    select.textContent = "";
    (fieldKit.partners || []).forEach(function (a) { option(select, a.agency_id, a.name); });
    $("partner-add-row").hidden = !(fieldKit.partners || []).length;
  }
  $("partner-add").addEventListener("click", function () {
    var name = $("partner-name").value.trim();
    var agency = $("partner-agency");
    if (!name || !agency.value) { return; }
    var chosen = chosenMembers();
    chosen.push({ user_id: null, name: name, agency_id: Number(agency.value),
                  agency_name: agency.options[agency.selectedIndex].textContent,
                  is_leader: false, is_pilot: false });
    drawMembers(chosen, true);
    $("partner-name").value = "";
  });

  $("start-plan").addEventListener("change", function () {
    var plan = (fieldKit.planned || []).filter(function (p) { return p.client_id === this.value; }, this)[0];
    if (plan) {
      $("start-segment").value = plan.segment_id || "";
      if (plan.transport) { $("start-transport").value = plan.transport; }
      drawMembers(plan.members || []);
    } else {
      drawMembers([]);
    }
  });

  function chosenMembers() {
    var leader = document.querySelector('#member-list input[name="leader"]:checked');
    return Array.prototype.filter.call(document.querySelectorAll("#member-list .member"), function (row) {
      return row.querySelector('input[type="checkbox"]').checked;
    }).map(function (row) {
      var p = row.person;
      return { user_id: p.user_id || null, name: p.name, agency_id: p.agency_id,
               agency_name: p.agency_name,
               is_leader: !!(leader && leader.value === row.dataset.key),
               is_pilot: row.querySelector("input.pilot").checked };
    });
  }

  $("start-button").addEventListener("click", function () {
    var members = chosenMembers().map(function (m) {
      return { user_id: m.user_id, name: m.name, agency_id: m.agency_id,
               is_leader: m.is_leader, is_pilot: m.is_pilot };
    });
    if (!members.length) { $("start-error").textContent = words.choose_member; return; }
    if (!members.some(function (m) { return m.is_leader; })) { members[0].is_leader = true; }
    $("start-error").textContent = "";
    var planId = $("start-plan").value;
    var patrolId = planId || forms.uuid();
    var segment = $("start-segment").value;
    var plan = (fieldKit.planned || []).filter(function (p) { return p.client_id === planId; })[0];
    var here = lastFix;
    var payload = { op_id: forms.uuid(), patrol_id: patrolId, transport: $("start-transport").value,
                    objective: $("start-objective").value, members: members,
                    device_at: forms.deviceTime() };
    if (fieldKit.post && fieldKit.post.id) { payload.post_agency_id = fieldKit.post.id; }
    if (segment) { payload.segment_id = Number(segment); }
    if (here) { payload.lon = here.lon; payload.lat = here.lat; }
    current = { patrol_id: patrolId, status: "under_way", started_at: payload.device_at,
                checkins: {}, fixes: 0, track: [], start_op: payload.op_id,
                checkpoints: plan && plan.checkpoints ? plan.checkpoints.map(function (c) { return c.checkpoint_id; }) : null };
    send(queue("start", API + "/field/start", payload),
         { kind: "patrol-field", id: userKey, value: current }).then(showPatrol);
  });

  // --- recording -------------------------------------------------------------------------------
  function showPatrol() {
    $("start-panel").hidden = true;
    $("patrol-panel").hidden = false;
    root.dataset.patrol = current.status;
    $("patrol-state").textContent = current.status === "paused" ? words.paused : words.started;
    $("pause-button").hidden = current.status !== "under_way";
    $("resume-button").hidden = current.status !== "paused";
    drawMap();
    drawCheckpoints();
    drawCategories();
    if (current.status === "under_way") { record(); } else { stopRecording(); }
  }

  function record() {
    if (watchId === null && navigator.geolocation) {
      watchId = navigator.geolocation.watchPosition(onFix, function () {
        $("fix-state").textContent = words.no_fix;
      }, { enableHighAccuracy: true, maximumAge: 0, timeout: 60000 });
    }
    keepAwake();
  }

  function stopRecording() {
    if (watchId !== null) { navigator.geolocation.clearWatch(watchId); watchId = null; }
    if (wakeLock) { wakeLock.release().catch(function () {}); wakeLock = null; }
  }

  function keepAwake() {
    if (!("wakeLock" in navigator)) { $("wake-state").textContent = words.wake_off; return; }
    if (wakeLock || document.visibilityState !== "visible") { return; }
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      $("wake-state").textContent = words.wake_on;
      lock.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () { $("wake-state").textContent = words.wake_off; });
  }
  // A lock is released when the page is hidden; take it again when the page comes back.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && current && current.status === "under_way") {
      keepAwake();
    }
  });

  function onFix(position) {
    var f = forms.fix(position);
    lastFix = f;
    if (!current || current.status !== "under_way") { return; }
    buffer.push([Math.round(f.at) / 1000, f.lon, f.lat, f.accuracy_m]);
    current.fixes += 1;
    current.track.push([f.lat, f.lon]);
    root.dataset.fixes = String(current.fixes);
    $("fix-state").textContent = fill(words.fixes, { n: current.fixes }) + " · " +
      fill(words.accuracy, { m: Math.round(f.accuracy_m) });
    var firstAt = buffer[0][0];
    var flushing = buffer.length >= BATCH || (f.at / 1000 - firstAt) >= BATCH_SECONDS;
    (flushing ? flush() : store.kvSet("patrol-field-buffer:" + userKey, buffer).then(savePatrol))
      .then(function () { drawMe(); drawCheckpoints(); });
  }

  // The fixes so far as one track upload, queued with the patrol's state in one transaction.
  function flush() {
    if (!buffer.length) { return Promise.resolve(); }
    var points = buffer;
    buffer = [];
    var op = queue("track", API + "/field/" + current.patrol_id + "/track",
                   { client_id: forms.uuid(), points: points });
    // Queued first, then the buffer emptied: a crash between the two sends a fix twice
    // (harmless), never loses one.
    return send(op, { kind: "patrol-field", id: userKey, value: current }).then(function () {
      return store.kvSet("patrol-field-buffer:" + userKey, buffer);
    });
  }

  function status(action) {
    var payload = { op_id: forms.uuid(), action: action, device_at: forms.deviceTime() };
    if (lastFix) { payload.lon = lastFix.lon; payload.lat = lastFix.lat; }
    return flush().then(function () {
      current.status = { pause: "paused", resume: "under_way", end: "ended" }[action];
      return send(queue(action, API + "/field/" + current.patrol_id + "/status", payload),
                  { kind: "patrol-field", id: userKey, value: current });
    });
  }
  $("pause-button").addEventListener("click", function () { status("pause").then(showPatrol); });
  $("resume-button").addEventListener("click", function () { status("resume").then(showPatrol); });
  $("end-button").addEventListener("click", function () {
    if (!window.confirm(words.end_confirm)) { return; }
    status("end").then(function () {
      stopRecording();
      var ended = current;
      current = null;
      return store.remove("patrol-field", userKey).then(function () {
        $("kit-state").textContent = words.ended;
        root.dataset.lastPatrol = ended.patrol_id;
        showStart();
      });
    });
  });

  // --- map -----------------------------------------------------------------------------------
  function drawMap() {
    if (map || !window.L) { return; }
    map = L.map("field-map", { attributionControl: false, preferCanvas: true });
    // A view before any layer: the canvas renderer cannot draw a line on a map with none.
    var first = (fieldKit.checkpoints || [])[0];
    map.setView(first ? [first.lat, first.lon] : [0, 0], first ? 13 : 2);
    if (window.BastionBasemap) { window.BastionBasemap.addLand(map); }
    var bounds = [];
    if (segmentFeatures().length) {
      var layer = L.geoJSON({ type: "FeatureCollection", features: segmentFeatures() },
                            { style: { color: "#c92a2a", weight: 3 } }).addTo(map);
      if (layer.getBounds().isValid()) { bounds.push(layer.getBounds()); }
    }
    (fieldKit.checkpoints || []).forEach(function (c) {
      L.circle([c.lat, c.lon], { radius: c.radius_m || 50, color: "#0b5cab" }).addTo(map)
        .bindTooltip(c.code + " " + label(c));
      bounds.push(L.latLngBounds([[c.lat, c.lon], [c.lat, c.lon]]));
    });
    trackLine = L.polyline(current.track || [], { color: "#e67700", weight: 4 }).addTo(map);
    if (bounds.length) {
      var all = bounds[0];
      bounds.slice(1).forEach(function (b) { all.extend(b); });
      map.fitBounds(all.pad(0.2));
    } else {
      map.setView([22.9, 105.9], 10);
    }
  }
  function drawMe() {
    if (!map || !lastFix) { return; }
    trackLine.setLatLngs(current ? current.track : []);
    if (!meMarker) {
      meMarker = L.circleMarker([lastFix.lat, lastFix.lon], { radius: 6, color: "#102a43" }).addTo(map);
    } else {
      meMarker.setLatLng([lastFix.lat, lastFix.lon]);
    }
  }

  // --- check-ins -------------------------------------------------------------------------------
  function metres(aLat, aLon, bLat, bLon) {
    var r = Math.PI / 180;
    var dLat = (bLat - aLat) * r, dLon = (bLon - aLon) * r;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(aLat * r) * Math.cos(bLat * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function checkpointList() {
    var all = fieldKit.checkpoints || [];
    if (!current || !current.checkpoints) { return all; }
    var planned = current.checkpoints;
    return all.slice().sort(function (a, b) {
      var ia = planned.indexOf(a.id), ib = planned.indexOf(b.id);
      return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
    });
  }

  function drawCheckpoints() {
    var list = $("checkpoints");
    list.textContent = "";
    checkpointList().forEach(function (c) {
      var li = document.createElement("li");
      li.dataset.checkpoint = c.code;
      var done = current && current.checkins[c.id];
      var d = lastFix ? metres(lastFix.lat, lastFix.lon, c.lat, c.lon) : null;
      var inside = d !== null && d <= (c.radius_m || 50);
      li.className = (inside ? "inside " : "") + (done ? "done" : "");
      var text = document.createElement("span");
      text.textContent = c.code + " " + label(c) + (d === null ? "" : " · " +
        (inside && !done ? fill(words.within, { m: Math.round(d) }) : fill(words.distance, { m: Math.round(d) })));
      li.appendChild(text);
      if (done) {
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = words.checked_in;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge);
      }
      if (current && current.status === "under_way") {
        var button = document.createElement("button");
        button.type = "button";
        button.className = inside && !done ? "" : "secondary";
        button.textContent = words.ops.check_in;
        button.addEventListener("click", function () { checkIn(c, "geofence", null); });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button);
      }
      list.appendChild(li);
    });
  }

  function checkIn(c, method, qrText) {
    var id = forms.uuid();
    var payload = { client_id: id, checkpoint_id: c.id, method: method, device_at: forms.deviceTime() };
    if (qrText) { payload.qr_text = qrText; }
    if (lastFix) {
      payload.lon = lastFix.lon; payload.lat = lastFix.lat; payload.accuracy_m = lastFix.accuracy_m;
    }
    var photo = forms.photo($("checkin-photo"));
    current.checkins[c.id] = id;
    return send(queue("check_in", API + "/field/" + current.patrol_id + "/check-ins", payload),
                { kind: "patrol-field", id: userKey, value: current }).then(function () {
      if (photo) {
        $("checkin-photo").value = "";
        return send(photoOp("check_in", id, photo));
      }
    }).then(drawCheckpoints);
  }

  // A printed code reads "BASTION-CP:<code>:<secret>" (border/geo/checkpoints.py): that is a
  // QR check-in the server verifies. A checkpoint code typed by hand proves nothing by
  // itself: it is a check-in at the phone's position (the server measures the distance).
  function parseCode(text) {
    var m = /^BASTION-CP:([^:]+):(.+)$/.exec(text);
    return m ? { code: m[1], qr: true } : { code: text, qr: false };
  }
  function byCode(code) {
    return (fieldKit.checkpoints || []).filter(function (c) { return c.code === code; })[0];
  }
  $("qr-photo").addEventListener("change", function () {
    var photo = forms.photo(this);
    if (!photo) { return; }
    if (!("BarcodeDetector" in window)) { $("qr-state").textContent = words.qr_unsupported; return; }
    createImageBitmap(photo.blob).then(function (bitmap) {
      return new window.BarcodeDetector({ formats: ["qr_code"] }).detect(bitmap);
    }).then(function (codes) {
      if (!codes.length) { $("qr-state").textContent = words.qr_none; return; }
      $("qr-code").value = codes[0].rawValue;
      $("qr-state").textContent = "";
    }).catch(function () { $("qr-state").textContent = words.qr_none; });
  });
  $("qr-checkin").addEventListener("click", function () {
    var text = $("qr-code").value.trim();
    var parsed = parseCode(text);
    var c = byCode(parsed.code);
    if (!c) { $("qr-state").textContent = fill(words.qr_unknown, { code: parsed.code }); return; }
    $("qr-state").textContent = "";
    $("qr-code").value = "";
    checkIn(c, parsed.qr ? "qr" : "geofence", parsed.qr ? text : null);
  });

  // --- observations --------------------------------------------------------------------------
  var readAttributes = function () { return { values: {}, errors: {} }; };
  function flatCategories() {
    var out = [];
    (function walk(nodes, depth) {
      (nodes || []).forEach(function (n) {
        out.push({ node: n, depth: depth });
        walk(n.children, depth + 1);
      });
    })(fieldKit.categories, 0);
    return out;
  }
  function drawCategories() {
    var select = $("obs-category");
    if (select.options.length) { return; }
    option(select, "", "—");
    flatCategories().forEach(function (item) {
      option(select, item.node.code, new Array(item.depth + 1).join("\u3000") + label(item.node));
    });
  }
  function categoryOf(code) {
    return flatCategories().map(function (i) { return i.node; })
      .filter(function (n) { return n.code === code; })[0];
  }
  $("obs-category").addEventListener("change", function () {
    var category = categoryOf(this.value);
    readAttributes = forms.attributeForm($("obs-attributes"), category ? category.attributes : [],
                                         language, words);
  });
  $("observation-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = $("obs-category").value;
    if (!code) { $("obs-state").textContent = words.choose_category; return; }
    var read = readAttributes();
    if (Object.keys(read.errors).length) { $("obs-state").textContent = words.fix_errors; return; }
    var id = forms.uuid();
    var payload = { client_id: id, category_code: code, attributes: read.values,
                    note: $("obs-note").value, device_at: forms.deviceTime() };
    if (lastFix) { payload.lon = lastFix.lon; payload.lat = lastFix.lat; }
    var photo = forms.photo($("obs-photo"));
    send(queue("observation", API + "/field/" + current.patrol_id + "/observations", payload))
      .then(function () { return photo ? send(photoOp("observation", id, photo)) : null; })
      .then(function () {
        $("observation-form").reset();
        $("obs-attributes").textContent = "";
        $("obs-state").textContent = words.observation_saved;
        current.observations = (current.observations || 0) + 1;
        root.dataset.observations = String(current.observations);
        return savePatrol();
      });
  });

  // --- SOS -----------------------------------------------------------------------------------
  $("sos-button").addEventListener("click", function () {
    if (!window.confirm(words.sos_confirm)) { return; }
    forms.position({ timeout: 5000, maximumAge: 60000 }).then(function (here) {
      here = here || lastFix;
      var payload = { client_id: forms.uuid(), device_at: forms.deviceTime() };
      if (current) { payload.patrol_id = current.patrol_id; }
      if (here) { payload.lon = here.lon; payload.lat = here.lat; }
      return store.queued().then(function (ops) {
        // First in the queue, unless its patrol's start has not been sent yet.
        var startWaits = current && ops.some(function (o) { return o.op_id === current.start_op; });
        return send(queue("sos", API + "/field/sos", payload, { priority: startWaits ? 0 : 1 }));
      });
    }).then(function () { $("sos-state").textContent = words.sos_sent; });
  });

  // --- begin -------------------------------------------------------------------------------
  // Service workers and (on phones) location need a secure context: say how to get one.
  if (!window.isSecureContext) { $("insecure").hidden = false; }
  Promise.all([loadKit(), store.get("patrol-field", userKey),
               store.kvGet("patrol-field-buffer:" + userKey)]).then(function (got) {
    fieldKit = got[0] || { checkpoints: [], categories: [], planned: [], members: [], segments: null };
    current = got[1];
    buffer = got[2] || [];
    if (current && current.status !== "ended") { showPatrol(); } else { current = null; showStart(); }
    root.dataset.ready = "true";
    return sync.start();
  });
})();
