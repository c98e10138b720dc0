// The field-alarm map (Leaflet on the offline basemap): devices as small markers, alarms as
// large ones (red raised, orange acknowledged, grey closed). A "fieldalarm.raised" event from
// the stream adds its alarm's marker at once (the stream names the record; the alarm is read
// from the API, need-to-know applied), then the list beside the map is read again. Actions on
// an alarm go to the API with the page's CSRF token. The chart shows alarms per day.
(function () {
  "use strict";
  var el = document.getElementById("fa-map");
  var panel = document.getElementById("fa-panel");
  if (!el || !panel) { return; }
  var getJSON = window.BastionBasemap ? window.BastionBasemap.getJSON : function (url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; });
  };
  var colours = { raised: "#c92a2a", acknowledged: "#f08c00", resolved: "#868e96", false_alarm: "#868e96" };
  var map = null, devices = null, alarms = null, fitted = false;
  var markers = {};
  if (window.L && window.BastionBasemap) {
    map = L.map(el).setView([23.05, 105.7], 10);
    window.BastionBasemap.addLand(map);
    map.createPane("alarms");
    map.getPane("alarms").style.zIndex = 650;
    devices = L.layerGroup().addTo(map);
    alarms = L.layerGroup().addTo(map);
  }
  if (map && el.dataset.border) {
    getJSON(el.dataset.border).then(function (data) {
      if (!data || !data.layers) { return; }
      ["line", "segments"].forEach(function (name) {
        if (data.layers[name]) {
          L.geoJSON(data.layers[name], { style: function () { return { color: name === "line" ? "#c92a2a" : "#1971c2", weight: name === "line" ? 2 : 4, opacity: 0.7 }; } }).addTo(map);
        }
      });
    });
  }
  var count = function () { el.dataset.alarmMarkers = String(Object.keys(markers).length); };
  var addAlarm = function (id, lat, lon, status, text, exercise, fresh) {
    if (!map) { return; }
    if (markers[id]) { alarms.removeLayer(markers[id]); }
    var m = L.circleMarker([lat, lon], { radius: fresh ? 14 : 10, color: colours[status] || "#c92a2a", weight: 3, fillOpacity: 0.8, pane: "alarms" });
    m.bindTooltip((exercise ? el.dataset.labelExercise + " · " : "") + text, { permanent: !!fresh });
    m.addTo(alarms);
    markers[id] = m;
    count();
    if (fresh) { map.panTo([lat, lon]); el.dataset.lastAlarm = String(id); }
  };
  var draw = function () {
    getJSON(el.dataset.features).then(function (fc) {
      if (!fc || !map) { return; }
      devices.clearLayers();
      var points = [];
      fc.features.forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties;
        points.push([c[1], c[0]]);
        if (p.layer === "device") {
          L.circleMarker([c[1], c[0]], { radius: 5, color: p.silent || p.revoked ? "#868e96" : "#0b5cab", weight: 2, fillOpacity: 0.6 })
            .bindTooltip(p.label).addTo(devices);
        } else if (!markers[p.id] || p.status !== markers[p.id].status) {
          addAlarm(p.id, c[1], c[0], p.status, p.label, p.exercise, false);
          markers[p.id].status = p.status;
        }
      });
      el.dataset.deviceMarkers = String(devices.getLayers().length);
      if (!fitted && points.length) { map.fitBounds(points, { maxZoom: 12, padding: [30, 30] }); fitted = true; }
    });
  };
  var refresh = function () {
    fetch(panel.dataset.refresh, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        panel.innerHTML = html;
        panel.dataset.refreshed = String(Number(panel.dataset.refreshed || 0) + 1);
      });
  };
  var timer = null;
  var soon = function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { refresh(); draw(); }, 300);
  };
  var csrf = document.querySelector('meta[name="csrf-token"]');
  panel.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.fa-act") : null;
    if (!button) { return; }
    var note = "";
    if (button.dataset.ask) {
      note = window.prompt(button.dataset.ask) || "";
      if (!note) { return; }
    }
    button.disabled = true;
    fetch(button.dataset.url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf ? csrf.content : "", "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ action: button.dataset.action, note: note })
    }).then(function (r) {
      button.dataset.outcome = r.ok ? "done" : "error";
      if (!r.ok) { button.disabled = false; }
      soon();
    });
  });
  draw();
  var source = new EventSource(el.dataset.stream);
  source.onmessage = function (message) {
    var data = {};
    try { data = JSON.parse(message.data) || {}; } catch (e) { return; }
    var kind = data.kind || "";
    if (kind === "fieldalarm.raised" && data.record_id) {
      getJSON(el.dataset.alarm + data.record_id).then(function (a) {
        if (!a) { return; }
        addAlarm(a.id, a.lat, a.lon, a.status, el.dataset.labelNew + ": " + a.device_code + " · " + a.kind_label, a.exercise, true);
      });
    }
    if (kind.indexOf("fieldalarm.") === 0) { soon(); }
  };
  source.addEventListener("ready", function () { el.dataset.liveReady = "true"; });
  setInterval(refresh, 60000);
  // the chart: alarms per day by kind
  var chartEl = document.getElementById("fa-chart");
  if (chartEl && window.BastionCharts) {
    getJSON(chartEl.dataset.source).then(function (data) {
      if (!data) { return; }
      window.BastionCharts.chart("fa-chart", {
        xAxis: { type: "category", data: data.dates },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.data }; })
      });
      chartEl.dataset.drawn = "true";
    });
  }
})();
