// The supervisors' campaigns (vendored Leaflet, base map from static/maps.js): on the planning
// form, each tap on the map adds a corner of the campaign's zone, kept as [lon, lat] points in
// the hidden "zone" input; on a campaign's page, its targets (visited green, to visit grey,
// with an infraction red) inside its drawn zone. Without this script the form works on the
// arrondissements alone.
(function () {
  "use strict";
  var maps = window.policeMaps;
  if (!window.L || !maps) return;
  var COLOURS = { visited: "#0a6e3f", open: "#6b7280", found: "#b3261e" };

  function ring(zone) {
    return zone.map(function (p) { return [p[1], p[0]]; });
  }

  var shown = document.getElementById("campaign-map");
  if (shown) {
    var map = maps.base(shown);
    var zone = JSON.parse(shown.dataset.zone || "[]");
    var drawn = [];
    if (zone.length >= 3) {
      L.polygon(ring(zone), { color: "#0b2545", weight: 2, fillOpacity: 0.08 }).addTo(map);
      drawn = drawn.concat(ring(zone));
    }
    JSON.parse(shown.dataset.points || "[]").forEach(function (p) {
      maps.dot(p.lat, p.lon, COLOURS[p.state] || COLOURS.open, 7).addTo(map).bindTooltip(p.label);
      drawn.push([p.lat, p.lon]);
    });
    if (drawn.length > 1) map.fitBounds(drawn, { padding: [20, 20], maxZoom: 17 });
    else if (drawn.length === 1) map.setView(drawn[0], 17);
    else map.setView([parseFloat(shown.dataset.lat), parseFloat(shown.dataset.lon)], 12);
  }

  var el = document.getElementById("campaign-zone-map");
  var form = document.getElementById("campaign-form");
  if (!el || !form) return;
  var input = form.elements.zone;
  var note = document.getElementById("zone-points");
  var clear = document.getElementById("clear-zone");
  var points = [];
  try { points = input.value ? JSON.parse(input.value) : []; } catch (e) { points = []; }
  el.hidden = false;
  document.getElementById("zone-help").hidden = false;
  var zoneMap = maps.base(el).setView([parseFloat(el.dataset.centreLat), parseFloat(el.dataset.centreLon)], 12);
  var outline = null;
  function redraw() {
    if (outline) { zoneMap.removeLayer(outline); outline = null; }
    if (points.length) {
      outline = L.polygon(ring(points), { color: "#0b2545", weight: 2, fillOpacity: 0.15 }).addTo(zoneMap);
    }
    input.value = points.length >= 3 ? JSON.stringify(points) : "";
    note.textContent = points.length ? note.dataset.template.replace("{points}", points.length) : "";
    clear.hidden = !points.length;
  }
  zoneMap.on("click", function (event) {
    points.push([Number(event.latlng.lng.toFixed(6)), Number(event.latlng.lat.toFixed(6))]);
    redraw();
  });
  clear.addEventListener("click", function () { points = []; redraw(); });
  if (points.length >= 3) zoneMap.fitBounds(ring(points), { padding: [20, 20] });
  redraw();
})();
