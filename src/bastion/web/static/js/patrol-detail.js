// One patrol's page: its map on the offline basemap (basemap.js) — the segment, the kept
// track, the points cleaning removed (grey crosses), the planned checkpoints with their
// radius coloured by how the visit stands, check-ins and observations — from the page's
// JSON (data-source); and the GPX upload form, posted to the API, with what was stored or
// the error naming the point.
(function () {
  "use strict";
  var el = document.getElementById("patrol-map");
  var drawn = null;
  var map = null;
  var states = { visited: "#2f9e44", late: "#f08c00", missed: "#c92a2a", pending: "#868e96" };

  var tooltip = function (feature, layer) {
    if (feature.properties && feature.properties.label) { layer.bindTooltip(feature.properties.label); }
  };

  var draw = function () {
    if (!map) { return; }
    window.BastionBasemap.getJSON(el.dataset.source).then(function (data) {
      if (!data) { return; }
      if (drawn) { map.removeLayer(drawn); }
      drawn = L.featureGroup().addTo(map);
      var add = function (layer) { layer.addTo(drawn); return layer; };
      var segment = add(L.geoJSON(data.segment, { style: { color: "#1971c2", weight: 8, opacity: 0.25 }, onEachFeature: tooltip }));
      var own = L.featureGroup();  // what the patrol did or was to do: the map fits to it
      add(L.geoJSON(data.track, { style: { color: "#1971c2", weight: 3 } }));
      add(L.geoJSON(data.checkpoints, {
        pointToLayer: function (f, latlng) {
          var colour = states[f.properties.state] || "#868e96";
          return L.circle(latlng, { radius: f.properties.radius_m || 50, color: colour, weight: 2, fillOpacity: 0.25 });
        },
        onEachFeature: tooltip
      }));
      add(L.geoJSON(data.removed, {
        pointToLayer: function (f, latlng) {
          return L.marker(latlng, { icon: L.divIcon({ className: "removed-cross", html: "×", iconSize: [16, 16] }) });
        },
        onEachFeature: tooltip
      }));
      add(L.geoJSON(data.check_ins, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#2f9e44", weight: 3, fillColor: "#fff", fillOpacity: 1 });
        },
        onEachFeature: tooltip
      }));
      add(L.geoJSON(data.observations, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 6, color: "#7048e8", weight: 2, fillOpacity: 0.9 });
        },
        onEachFeature: tooltip
      }));
      drawn.eachLayer(function (layer) { if (layer !== segment) { own.addLayer(layer); } });
      var bounds = own.getBounds().isValid() ? own.getBounds() : drawn.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); }
      var lines = (data.track.geometry && data.track.geometry.coordinates) || [];
      el.dataset.trackPoints = String(lines.reduce(function (n, line) { return n + line.length; }, 0));
      el.dataset.removed = String(data.removed.features.length);
      el.dataset.checkIns = String(data.check_ins.features.length);
      el.dataset.checkpoints = String(data.checkpoints.features.length);
      el.dataset.ready = String(Number(el.dataset.ready || "0") + 1);
    });
  };

  if (el && window.L && window.BastionBasemap) {
    map = L.map(el, { preferCanvas: false }).setView([22.8, 106.0], 8);
    window.BastionBasemap.addLand(map);
    draw();
  }

  var form = document.getElementById("gpx-form");
  var result = document.getElementById("gpx-result");
  if (!form || !result) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var reasons = {};
  try { reasons = JSON.parse(form.dataset.reasons || "{}"); } catch (e) { reasons = {}; }
  var line = function (text, className) {
    var p = document.createElement("p");
    if (className) { p.className = className; }
    p.textContent = text;
    result.appendChild(p);
    return p;
  };
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    result.textContent = "";
    var body = new FormData(form);
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf ? csrf.content : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { ok: response.ok, json: json };
      });
    }).then(function (answer) {
      button.disabled = false;
      var json = answer.json || {};
      if (!answer.ok) {
        var detail = json.detail;
        var text = typeof detail === "string" ? detail
          : (detail || []).map(function (d) { return d.msg; }).join("; ");
        line(form.dataset.labelFailed + " " + text, "field-error").dataset.outcome = "error";
        return;
      }
      var stored = line(json.duplicate ? form.dataset.labelDuplicate : form.dataset.labelStored
        .replace("{chunks}", json.chunks_stored).replace("{kept}", json.kept)
        .replace("{points}", json.points));
      stored.dataset.outcome = json.duplicate ? "duplicate" : "stored";
      if (json.removed && json.removed.length) {
        line(form.dataset.labelRemoved);
        var list = document.createElement("ul");
        json.removed.forEach(function (r) {
          var li = document.createElement("li");
          li.textContent = r.segment + " #" + r.index + ": " + (reasons[r.reason] || r.reason);
          list.appendChild(li);
        });
        result.appendChild(list);
      }
      form.reset();
      draw();
    }).catch(function () {
      button.disabled = false;
      line(form.dataset.labelFailed, "field-error");
    });
  });
})();
