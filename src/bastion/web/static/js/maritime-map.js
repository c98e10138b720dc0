// Maritime maps (Leaflet, offline): Natural Earth land as the basemap, no tile server.
// One script for the live picture, a vessel's track and an alert's evidence; the page's
// #map element says which through data- attributes.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { preferCanvas: true, worldCopyJump: true }).setView([21.7, 112.0], 8);
  var getJSON = function (url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; });
  };
  var landStyle = { color: "#8a9a7b", weight: 0.6, fillColor: "#e8e4d8", fillOpacity: 1 };

  // World land at 1:50m, then the South China coast at 1:10m over it.
  getJSON("/static/vendor/maps/land-50m.json").then(function (topo) {
    if (topo && window.topojson) {
      L.geoJSON(window.topojson.feature(topo, topo.objects.land), { style: landStyle, interactive: false }).addTo(map).bringToBack();
    }
    return getJSON("/static/maps/south-china-coast-ne10m.geojson");
  }).then(function (coast) {
    if (!coast) { return; }
    L.geoJSON(coast, {
      interactive: false,
      filter: function (f) { return f.properties.layer === "land" || f.properties.layer === "admin0"; },
      style: function (f) { return f.properties.layer === "land" ? landStyle : { color: "#b0a890", weight: 0.5, fill: false }; }
    }).addTo(map);
  });

  var zoneColours = { restricted: "#e03131", controlled_coast: "#f08c00", port: "#1971c2", anchorage: "#2f9e44" };
  if (el.dataset.zones) {
    getJSON(el.dataset.zones).then(function (zones) {
      if (!zones) { return; }
      L.geoJSON(zones, {
        style: function (f) { var c = zoneColours[f.properties.kind] || "#555"; return { color: c, weight: 1.5, fillOpacity: 0.08 }; },
        onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.name || f.properties.kind || ""); }
      }).addTo(map);
    });
  }

  // Places known without drawing (maritime/places): UN/LOCODE ports, anchorages and water
  // learned from AIS history. Fetched for the view when zoomed in far enough to be useful.
  if (el.dataset.places) {
    var placeLayer = L.layerGroup().addTo(map);
    var placeStyle = {
      port: { color: "#1971c2", weight: 1, dashArray: "4 3", fillOpacity: 0.04 },
      learned_anchorage: { color: "#2f9e44", weight: 1, fillOpacity: 0.15 },
      learned_water: { color: "#74c0fc", weight: 0, fillOpacity: 0.35 }
    };
    var placeLabel = { port: el.dataset.labelPort, learned_anchorage: el.dataset.labelAnchorage, learned_water: el.dataset.labelWater };
    var drawPlaces = function () {
      if (map.getZoom() < 7) { placeLayer.clearLayers(); el.dataset.placeCount = "0"; return; }
      var b = map.getBounds();
      var west = Math.max(b.getWest(), -180), east = Math.min(b.getEast(), 180);
      var south = Math.max(b.getSouth(), -90), north = Math.min(b.getNorth(), 90);
      if ((east - west) * (north - south) > 400) { placeLayer.clearLayers(); el.dataset.placeCount = "0"; return; }  // the server's limit
      getJSON(el.dataset.places + "?bbox=" + [west, south, east, north].map(function (x) { return x.toFixed(4); }).join(",")).then(function (data) {
        if (!data) { return; }
        placeLayer.clearLayers();
        data.features.forEach(function (f) {
          var p = f.properties, c = f.geometry.coordinates;
          var circle = L.circle([c[1], c[0]], Object.assign({ radius: p.radius_m, interactive: p.kind !== "learned_water" }, placeStyle[p.kind] || {}));
          var text = (p.name ? p.name + " (" + p.locode + ") · " : "") + (placeLabel[p.kind] || p.kind) + (p.vessels ? " · " + p.vessels + " " + el.dataset.labelVessels : "");
          if (p.kind !== "learned_water") { circle.bindTooltip(text); }
          circle.addTo(placeLayer);
        });
        el.dataset.placeCount = String(data.features.length);
      });
    };
    map.on("moveend", drawPlaces);
    drawPlaces();
  }

  var riskClass = function (score) { return score >= 60 ? "#e03131" : (score >= 30 ? "#f08c00" : "#2f9e44"); };
  var vesselLayer = L.layerGroup().addTo(map);
  var drawVessels = function (fit) {
    getJSON(el.dataset.vessels).then(function (page) {
      if (!page) { return; }
      vesselLayer.clearLayers();
      var points = [];
      page.items.forEach(function (v) {
        if (v.lat === null || v.lon === null) { return; }
        points.push([v.lat, v.lon]);
        var marker = L.circleMarker([v.lat, v.lon], { radius: v.risk_score >= 30 ? 6 : 4, color: riskClass(v.risk_score), weight: 1, fillOpacity: 0.8 });
        var popup = document.createElement("div");
        var link = document.createElement("a");
        link.href = "/maritime/vessels/" + v.mmsi;
        link.textContent = (v.name || v.mmsi) + " — " + el.dataset.labelOpen;
        var facts = document.createElement("div");
        facts.textContent = el.dataset.labelRisk + " " + Math.round(v.risk_score) + " · " + el.dataset.labelSpeed + " " + (v.speed === null ? "–" : v.speed + " " + (el.dataset.labelKnots || "kn"));
        popup.appendChild(link); popup.appendChild(facts);
        marker.bindPopup(popup).addTo(vesselLayer);
      });
      el.dataset.vesselCount = String(points.length);
      if (fit && points.length) { map.fitBounds(points, { maxZoom: 10, padding: [20, 20] }); }
    });
  };
  if (el.dataset.vessels) {
    drawVessels(true);
    var stream = new EventSource("/events/stream");
    ["alert.opened", "alert.updated", "alert.closed", "alert.retracted"].forEach(function (kind) {
      stream.addEventListener(kind, function () { drawVessels(false); });
    });
  }

  var drawLine = function (points, colour) {
    if (!points.length) { return; }
    L.polyline(points, { color: colour, weight: 2 }).addTo(map);
    L.circleMarker(points[points.length - 1], { radius: 6, color: colour, fillOpacity: 1 }).addTo(map);
    map.fitBounds(points, { maxZoom: 12, padding: [20, 20] });
  };
  if (el.dataset.track) {
    // A page of the track: the newest fixes, oldest first (see GET /api/v1/vessels/{mmsi}/track).
    getJSON(el.dataset.track).then(function (page) {
      drawLine((page ? page.items : []).map(function (p) { return [p.lat, p.lon]; }), "#0b5cab");
    });
  }
  if (el.dataset.tracks) {
    // An alert's map: each vessel's track around the alert (GET /api/v1/vessels/{mmsi}/track
    // with since/until), thin, under the evidence positions.
    JSON.parse(el.dataset.tracks).forEach(function (track) {
      getJSON(track.url).then(function (page) {
        var points = (page ? page.items : []).map(function (p) { return [p.lat, p.lon]; });
        if (points.length) {
          L.polyline(points, { color: track.colour, weight: 1.5, opacity: 0.6 }).addTo(map);
          el.dataset.trackPoints = String(Number(el.dataset.trackPoints || 0) + points.length);
        }
      });
    });
  }
  if (el.dataset.evidence) {
    // Evidence positions: the vessel's in red, the other vessel's or other track's in blue,
    // numbered in order as in the raw table.
    var evidence = JSON.parse(el.dataset.evidence);
    var own = [], others = [];
    var mark = function (fix, colour, n) {
      L.circleMarker([fix.lat, fix.lon], { radius: 5, color: colour, fillOpacity: 0.9 })
        .bindTooltip(String(n) + (fix.time ? " · " + fix.time : "")).addTo(map);
    };
    evidence.forEach(function (fix, i) {
      if (!fix || typeof fix.lat !== "number" || typeof fix.lon !== "number") { return; }
      own.push([fix.lat, fix.lon]); mark(fix, "#e03131", i + 1);
      ["other", "other_track"].forEach(function (key) {
        var o = fix[key];
        if (o && typeof o.lat === "number" && typeof o.lon === "number") {
          others.push([o.lat, o.lon]); mark(o, "#1971c2", i + 1);
        }
      });
    });
    var all = own.concat(others);
    if (all.length) { map.fitBounds(all, { maxZoom: 13, padding: [30, 30] }); }
    el.dataset.evidencePoints = String(all.length);
  }
})();
