// Shared by the Leaflet pages (border map, patrol page, live picture, field page): the offline basemap (Natural Earth
// land, served from /static) and a fetch that yields null instead of failing, so a missing
// layer never breaks a map. Load after leaflet.js and before the page's own script.
(function () {
  "use strict";
  var getJSON = function (url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  };
  var landStyle = { color: "#8a9a7b", weight: 0.6, fillColor: "#e8e4d8", fillOpacity: 1 };
  // The world's land (1:50m) first, so a map beyond the regional file is never blank; then
  // the south China coast and its land borders at 1:10m.
  var addLand = function (map) {
    getJSON("/static/vendor/maps/land-50m.json").then(function (topo) {
      if (topo && window.topojson) {
        L.geoJSON(window.topojson.feature(topo, topo.objects.land),
                  { style: landStyle, interactive: false }).addTo(map).bringToBack();
      }
    });
    return getJSON("/static/maps/south-china-coast-ne10m.geojson").then(function (coast) {
      if (!coast) { return null; }
      var land = L.geoJSON(coast, {
        interactive: false,
        filter: function (f) { return f.properties.layer === "land" || f.properties.layer === "admin0"; },
        style: function (f) {
          return f.properties.layer === "land" ? landStyle
            : { color: "#b0a890", weight: 0.5, fill: false };
        }
      }).addTo(map);
      land.bringToBack();
      return land;
    });
  };
  // The land border's surveyed line (thin, never clickable), from the border map's JSON, for
  // pages that plan along it. Resolves with that JSON (its "bounds" [west, south, east, north]
  // are the user's area) or null when the user may not read the border map.
  var addBorder = function (map) {
    return getJSON("/api/v1/border/map").then(function (data) {
      if (data && data.layers && data.layers.line) {
        L.geoJSON(data.layers.line, { interactive: false,
                                      style: { color: "#5c3c92", weight: 2, opacity: 0.7 } }).addTo(map);
      }
      return data;
    });
  };
  window.BastionBasemap = { getJSON: getJSON, addLand: addLand, addBorder: addBorder };
})();
