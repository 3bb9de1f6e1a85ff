// The report form's duplicate prompt: once a category is chosen and the place is set, the open
// reports of that category within 50 m are asked for and shown above the description, so a
// resident can follow one instead of sending it again. Without this script the server shows
// them once, on sending.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var box = document.getElementById("nearby");
  if (!form || !box || !window.fetch) return;
  var timer = null, asked = "";
  function ask() {
    var chosen = form.querySelector("input[name=category]:checked");
    var lat = form.elements.lat.value, lon = form.elements.lon.value;
    if (!chosen || !lat || !lon) return;
    var query = "category=" + encodeURIComponent(chosen.value) + "&lat=" + encodeURIComponent(lat) + "&lon=" + encodeURIComponent(lon);
    if (query === asked) return;
    asked = query;
    fetch("/signaler/proches?" + query, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        box.innerHTML = html;
        box.hidden = !html.trim();
        form.elements.nearby_seen.value = "1";  // shown here: sending needs no second look
      })
      .catch(function () { asked = ""; });
  }
  function later() { clearTimeout(timer); timer = setTimeout(ask, 300); }
  form.addEventListener("change", function (e) {
    var name = e.target && e.target.name;
    if (name === "category" || name === "lat" || name === "lon") later();
  });
  form.elements.lat.addEventListener("input", later);
  form.elements.lon.addEventListener("input", later);
})();
