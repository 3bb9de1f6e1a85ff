// The permits office's maps (vendored Leaflet, base map from static/maps.js): on a permit's
// page, its pin and drawn outline; on the grant and amend form, a tap places the pin and
// "Tracer le contour" adds the outline's corners one tap at a time. The form works without
// this script: latitude and longitude are typed, and the outline is optional.
(function () {
  "use strict";
  var maps = window.policeMaps;
  var form = document.getElementById("permit-form");

  // The kind chosen shows the surface or the billboard's fields (both without the script).
  if (form) {
    var kind = form.elements.kind;
    var toggle = function () {
      var board = kind.value === "billboard";
      form.querySelector("[data-for=billboard]").hidden = kind.value !== "" && !board;
      form.querySelector("[data-for=surface]").hidden = board;
    };
    kind.addEventListener("change", toggle);
    toggle();
    var holders = form.querySelectorAll("input[name=holder_kind]");
    var showHolder = function () {
      var chosen = form.querySelector("input[name=holder_kind]:checked");
      Array.prototype.forEach.call(form.querySelectorAll("[data-holder]"), function (row) {
        row.hidden = chosen && row.dataset.holder !== chosen.value;
      });
    };
    Array.prototype.forEach.call(holders, function (h) { h.addEventListener("change", showHolder); });
    showHolder();
    var total = document.getElementById("surface-total");
    var surface = function () {
      var f = parseFloat((form.elements.frontage_m.value || "").replace(",", "."));
      var d = parseFloat((form.elements.depth_m.value || "").replace(",", "."));
      total.textContent = f > 0 && d > 0 ? total.dataset.template.replace("{area}", (f * d).toFixed(2).replace(".", ",")) : "";
    };
    form.elements.frontage_m.addEventListener("input", surface);
    form.elements.depth_m.addEventListener("input", surface);
    surface();
  }

  if (!window.L || !maps) return;

  // The area of a small (lon, lat) ring in m², on a local plane: a hint while drawing; the
  // server measures the outline it records with a real projection (police/geometry.py).
  function area(ring) {
    if (ring.length < 3) return 0;
    var lat0 = ring[0][1] * Math.PI / 180, k = 111320, sum = 0;
    for (var i = 0; i < ring.length; i++) {
      var a = ring[i], b = ring[(i + 1) % ring.length];
      sum += (a[0] * Math.cos(lat0) * k) * (b[1] * k) - (b[0] * Math.cos(lat0) * k) * (a[1] * k);
    }
    return Math.abs(sum) / 2;
  }

  var shown = document.getElementById("permit-map");
  if (shown) {
    var lat = parseFloat(shown.dataset.lat), lon = parseFloat(shown.dataset.lon);
    var m = maps.base(shown).setView([lat, lon], 18);
    var colour = maps.colours("permit-state")[shown.dataset.state];
    if (shown.dataset.outline) {
      var ring = JSON.parse(shown.dataset.outline).map(function (p) { return [p[1], p[0]]; });
      L.polygon(ring, { color: colour, weight: 2, fillOpacity: 0.25 }).addTo(m);
    }
    maps.dot(lat, lon, colour).addTo(m);
  }

  var el = document.getElementById("permit-form-map");
  if (!el || !form) return;
  var latInput = form.elements.lat, lonInput = form.elements.lon, outlineInput = form.elements.outline;
  var start = latInput.value && lonInput.value
    ? [parseFloat(latInput.value), parseFloat(lonInput.value)]
    : [parseFloat(el.dataset.centreLat), parseFloat(el.dataset.centreLon)];
  var map = maps.base(el).setView(start, latInput.value ? 18 : 12);
  var pin = null, outline = null;
  var points = outlineInput.value ? JSON.parse(outlineInput.value) : [];
  if (points.length > 1 && points[0][0] === points[points.length - 1][0] && points[0][1] === points[points.length - 1][1]) {
    points = points.slice(0, -1);  // drawn open, closed on sending
  }
  var drawing = false;
  var drawButton = document.getElementById("draw-outline");
  var clearButton = document.getElementById("clear-outline");
  var gpsButton = document.getElementById("use-gps");
  var note = document.getElementById("outline-area");

  function place(lat, lon) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    if (pin) pin.setLatLng([lat, lon]); else pin = maps.dot(lat, lon, "#0b2545", 8).addTo(map);
  }
  function redraw() {
    if (outline) { map.removeLayer(outline); outline = null; }
    if (points.length) {
      outline = L.polygon(points.map(function (p) { return [p[1], p[0]]; }), { color: "#0b2545", weight: 2, fillOpacity: 0.2 }).addTo(map);
    }
    outlineInput.value = points.length >= 3 ? JSON.stringify(points.concat([points[0]])) : "";
    note.textContent = points.length ? note.dataset.template.replace("{points}", points.length).replace("{area}", area(points).toFixed(1).replace(".", ",")) : "";
    clearButton.hidden = !points.length;
  }
  if (latInput.value && lonInput.value) place(parseFloat(latInput.value), parseFloat(lonInput.value));
  redraw();
  map.on("click", function (event) {
    if (drawing) {
      points.push([Number(event.latlng.lng.toFixed(7)), Number(event.latlng.lat.toFixed(7))]);
      redraw();
    } else {
      place(event.latlng.lat, event.latlng.lng);
    }
  });
  drawButton.hidden = false;
  drawButton.addEventListener("click", function () {
    drawing = !drawing;
    drawButton.setAttribute("aria-pressed", String(drawing));
    drawButton.textContent = drawing ? drawButton.dataset.drawing : drawButton.dataset.idle;
  });
  clearButton.addEventListener("click", function () { points = []; redraw(); });
  if (navigator.geolocation) {
    gpsButton.hidden = false;
    gpsButton.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        place(pos.coords.latitude, pos.coords.longitude);
        map.setView([pos.coords.latitude, pos.coords.longitude], 18);
      }, function () {}, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  var typed = function () {
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    if (isFinite(lat) && isFinite(lon)) { place(lat, lon); map.setView([lat, lon], Math.max(map.getZoom(), 18)); }
  };
  latInput.addEventListener("change", typed);
  lonInput.addEventListener("change", typed);
})();
