// The forms that place something on a phone (an application, a report, a site visit): the
// phone's position in one tap, and a map to place the pin, loaded only when asked for (the page
// stays light on a slow connection); on the application form, which applicant's fields show (an
// establishment or a person). Placing fires "change" on the latitude field, for the scripts that
// follow the place (the report form's duplicate prompt). Without this script the forms still
// work: every field shows, and the coordinates can be typed.
(function () {
  "use strict";
  var form = document.querySelector("form[data-place-picker]");
  if (!form) return;
  var lat = form.elements.lat, lon = form.elements.lon;
  var said = document.getElementById("position-said");

  var holders = form.querySelectorAll("input[name=holder_kind]");
  function showHolder() {
    var chosen = form.querySelector("input[name=holder_kind]:checked");
    Array.prototype.forEach.call(form.querySelectorAll("[data-holder]"), function (row) {
      var mine = !chosen || row.dataset.holder === chosen.value;
      row.hidden = !mine;
      Array.prototype.forEach.call(row.querySelectorAll("input"), function (i) { i.disabled = !mine; });
    });
  }
  Array.prototype.forEach.call(holders, function (h) { h.addEventListener("change", showHolder); });
  showHolder();

  var marker = null, map = null;
  function pin(at) {
    return L.circleMarker(at, { radius: 11, color: "#0b2545", weight: 3, fillColor: "#1a56db", fillOpacity: 0.8 }).addTo(map);
  }
  function placed(la, lo, how) {
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    said.textContent = said.dataset[how] + " (" + lat.value + ", " + lon.value + ")";
    lat.dispatchEvent(new Event("change", { bubbles: true }));
    if (map) {
      if (marker) marker.setLatLng([la, lo]); else marker = pin([la, lo]);
      map.setView([la, lo], Math.max(map.getZoom(), 17));
    }
  }

  var locate = document.getElementById("use-position");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      said.textContent = said.dataset.searching;
      navigator.geolocation.getCurrentPosition(
        function (p) {
          if (form.elements.accuracy) form.elements.accuracy.value = Math.round(p.coords.accuracy);
          placed(p.coords.latitude, p.coords.longitude, "gps");
        },
        function () { said.textContent = said.dataset.denied; },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 }
      );
    });
  }

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  var open = document.getElementById("open-map");
  var box = document.getElementById("pick-map");
  if (open && box) {
    open.hidden = false;
    open.addEventListener("click", function () {
      open.disabled = true;
      var v = box.dataset.version;
      Promise.all([
        load("link", { rel: "stylesheet", href: "/static/vendor/leaflet-1.9.4/leaflet.css?v=" + v }),
        load("script", { src: "/static/vendor/leaflet-1.9.4/leaflet.js?v=" + v })
      ]).then(function () {
        return load("script", { src: "/static/maps.js?v=" + v });
      }).then(function () {
        box.hidden = false;
        open.hidden = true;
        var start = lat.value && lon.value
          ? [parseFloat(lat.value), parseFloat(lon.value)]
          : [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
        map = window.policeMaps.base(box).setView(start, lat.value ? 17 : 12);
        if (lat.value && lon.value) marker = pin(start);
        map.on("click", function (e) {
          if (form.elements.accuracy) form.elements.accuracy.value = "";
          placed(e.latlng.lat, e.latlng.lng, "map");
        });
      }).catch(function () {
        open.disabled = false;
        said.textContent = said.dataset.nomap;
      });
    });
  }
})();
