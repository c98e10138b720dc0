// A new joint operation's area, drawn on the offline basemap (basemap.js): each click on the
// map adds a corner, the polygon is written as GeoJSON into the hidden input named by the
// map's data-input, and the number of corners into data-count's element. "Undo" takes the
// last corner back, "Clear" removes them all. GeoJSON typed or pasted into data-text's
// textarea is shown dashed (the server uses it instead of the drawing when it is filled in).
// A refused form comes back with the hidden input filled: the drawing is restored from it.
// The border line is drawn for reference when the user may read the border map.
(function () {
  "use strict";
  var el = document.getElementById("operation-area-map");
  if (!el || !window.L || !window.BastionBasemap) { return; }
  var input = document.getElementById(el.dataset.input);
  var text = document.getElementById(el.dataset.text);
  var count = document.getElementById(el.dataset.count);
  // No zoom on double-click: two quick clicks are two corners.
  var map = L.map(el, { doubleClickZoom: false }).setView([22.95, 105.88], 10);
  window.BastionBasemap.addLand(map);
  var drawn = L.featureGroup().addTo(map);
  var pasted = L.featureGroup().addTo(map);
  var corners = [];  // [lon, lat]
  var style = { color: "#c92a2a", weight: 2, fillOpacity: 0.12, interactive: false };

  var write = function () {
    if (!corners.length) { input.value = ""; return; }
    // An open ring closed on its first corner; under three corners the server refuses it as
    // "not a valid polygon", so a half-drawn area is never taken for none.
    var ring = corners.concat([corners[0]]);
    input.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
  };

  var redraw = function () {
    drawn.clearLayers();
    var latlngs = corners.map(function (c) { return [c[1], c[0]]; });
    if (latlngs.length >= 3) {
      L.polygon(latlngs, style).addTo(drawn);
    } else if (latlngs.length === 2) {
      L.polyline(latlngs, style).addTo(drawn);
    }
    latlngs.forEach(function (ll) {
      L.circleMarker(ll, { radius: 5, color: "#c92a2a", weight: 2, fillColor: "#fff",
                           fillOpacity: 1, interactive: false }).addTo(drawn);
    });
    write();
    if (count) { count.textContent = String(corners.length); }
    el.dataset.corners = String(corners.length);
  };

  var showPasted = function () {
    pasted.clearLayers();
    el.dataset.pasted = "";
    if (!text || !text.value.trim()) { return; }
    try {
      var layer = L.geoJSON(JSON.parse(text.value), {
        style: { color: "#1971c2", weight: 2, dashArray: "6 4", fillOpacity: 0.08, interactive: false }
      }).addTo(pasted);
      if (layer.getBounds().isValid()) {
        map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 14 });
        el.dataset.pasted = "1";
      }
    } catch (e) { /* not GeoJSON (yet): the server names the field when it is sent */ }
  };

  if (input.value) {
    try {
      var g = JSON.parse(input.value);
      if (g.type === "Polygon" && g.coordinates && g.coordinates[0]) {
        corners = g.coordinates[0].slice(0, -1);
      }
    } catch (e) { corners = []; }
  }
  redraw();
  if (corners.length) { map.fitBounds(drawn.getBounds(), { padding: [20, 20], maxZoom: 14 }); }
  showPasted();
  // The border line for reference; with nothing drawn yet, the map opens on the user's area.
  window.BastionBasemap.addBorder(map).then(function (data) {
    var b = data && data.bounds;
    if (b && !corners.length && !el.dataset.pasted) {
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [10, 10], maxZoom: 13 });
    }
    el.dataset.border = data ? "1" : "0";
  });

  map.on("click", function (e) {
    corners.push([Number(e.latlng.lng.toFixed(6)), Number(e.latlng.lat.toFixed(6))]);
    redraw();
  });
  document.getElementById("area-undo").addEventListener("click", function () {
    corners.pop();
    redraw();
  });
  document.getElementById("area-clear").addEventListener("click", function () {
    corners = [];
    redraw();
  });
  if (text) { text.addEventListener("input", showPasted); }
  el.dataset.ready = "1";
})();
