// The reports on a map, for the supervisors' triage queue (each dot opens its report; the late
// ones in red) and for one report (its place, and the open reports near it in grey).
(function () {
  "use strict";
  var el = document.getElementById("reports-map");
  if (!el || !window.policeMaps || !window.L) return;
  var points = JSON.parse(el.dataset.points || "[]");
  var map = window.policeMaps.base(el);
  var drawn = [];
  points.forEach(function (p) {
    var colour = p.late ? "#b91c1c" : (p.near ? "#6b7280" : "#1a56db");
    var marker = window.policeMaps.dot(p.lat, p.lon, colour, p.near ? 6 : 8).addTo(map);
    marker.bindTooltip(p.number);
    if (p.href) marker.on("click", function () { window.location.href = p.href; });
    drawn.push([p.lat, p.lon]);
  });
  if (drawn.length > 1) map.fitBounds(drawn, { padding: [20, 20], maxZoom: 17 });
  else if (drawn.length === 1) map.setView(drawn[0], 17);
  else map.setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], 12);
})();
