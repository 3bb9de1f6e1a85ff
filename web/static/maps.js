// Maps of cases with the vendored Leaflet. The tile server is configuration
// (data-tiles); without one, or when it cannot be reached, the points still show on a
// plain background. Colours follow the case statuses of the tables.
(function () {
  "use strict";
  if (!window.L) return;
  var COLOURS = {
    opened: "#1a56db", validated: "#0a6e3f", notified: "#a15c00", escalated: "#b3261e",
    resolved: "#5b6573", closed: "#5b6573", dismissed: "#9aa3ad", cancelled: "#9aa3ad"
  };
  function base(el) {
    var map = L.map(el, { scrollWheelZoom: false, attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: "" }).addTo(map);
    }
    return map;
  }
  function marker(lat, lon, status) {
    return L.circleMarker([lat, lon], {
      radius: 7, weight: 2, color: "#ffffff", fillColor: COLOURS[status] || "#1a56db", fillOpacity: 0.9
    });
  }
  var single = document.getElementById("case-map");
  if (single) {
    var lat = parseFloat(single.dataset.lat), lon = parseFloat(single.dataset.lon);
    var m = base(single).setView([lat, lon], 16);
    marker(lat, lon, single.dataset.status).addTo(m);
  }
  var many = document.getElementById("cases-map");
  if (many) {
    var map = base(many).setView([33.57, -7.6], 11);
    fetch(many.dataset.source, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var points = [];
        data.features.forEach(function (f) {
          var c = f.geometry.coordinates, p = f.properties;
          var dot = marker(c[1], c[0], p.status);
          var link = document.createElement("a");
          link.href = "/cases/" + encodeURIComponent(p.case_id);
          link.textContent = p.reference + " · " + p.subject;
          dot.bindPopup(link);
          dot.addTo(map);
          points.push([c[1], c[0]]);
        });
        many.dataset.points = String(points.length);
        if (points.length) map.fitBounds(points, { padding: [20, 20], maxZoom: 16 });
      });
  }
})();
