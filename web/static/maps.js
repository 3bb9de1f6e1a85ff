// Maps with the vendored Leaflet.
// The base map is configuration (data-base: XYZ tiles or a WMS; the older data-tiles still
// works); without one, or when it cannot be reached, the points still show on a plain
// background. A page declares its layers in data-layers (JSON: id, label, source, style, on,
// legend); each layer gets a labelled checkbox and the legend of its colours under the map,
// and its source is fetched once, the first time it is switched on. Text from the data is
// only ever set as text, never as HTML.
(function () {
  "use strict";
  if (!window.L) return;
  var STYLES = {
    "case-status": {
      field: "status",
      colours: {
        opened: "#1a56db", validated: "#0a6e3f", notified: "#a15c00", escalated: "#b3261e",
        resolved: "#5b6573", closed: "#5b6573", dismissed: "#9aa3ad", cancelled: "#9aa3ad"
      }
    },
    "inspection": { field: "compliant", colours: { compliant: "#0a6e3f", non_compliant: "#b3261e" } },
    "permit-state": {
      field: "state",
      colours: {
        valid: "#0a6e3f", expiring: "#c27c00", expired: "#b3261e", suspended: "#8a929b",
        revoked: "#3d434a", pending: "#1a56db", unpaid: "#6b4fa0"
      }
    },
    "boundary": { field: null, colours: {} }
  };
  var FALLBACK = "#1a56db";

  function config(el) {
    if (el.dataset.base) {
      try { return JSON.parse(el.dataset.base); } catch (e) { /* a plain background */ }
    }
    return { tiles: el.dataset.tiles || "" };
  }

  function base(el) {
    var c = config(el);
    var map = L.map(el, { scrollWheelZoom: false, attributionControl: !!(c.tiles || c.wms) });
    if (c.tiles) {
      L.tileLayer(c.tiles, { maxZoom: 19, attribution: "" }).addTo(map);
    } else if (c.wms) {
      L.tileLayer.wms(c.wms, {
        layers: c.wms_layers, format: c.wms_format || "image/png",
        transparent: false, maxZoom: 19, attribution: ""
      }).addTo(map);
    }
    return map;
  }

  function dot(lat, lon, colour, radius) {
    return L.circleMarker([lat, lon], {
      radius: radius || 7, weight: 2, color: "#ffffff", fillColor: colour || FALLBACK, fillOpacity: 0.9
    });
  }

  function valueOf(style, properties) {
    var v = properties[STYLES[style].field];
    if (style === "inspection") return v ? "compliant" : "non_compliant";
    return v;
  }

  function labelOf(spec, value) {
    for (var i = 0; i < spec.legend.length; i++) {
      if (spec.legend[i].value === value) return spec.legend[i].label;
    }
    return String(value == null ? "" : value);
  }

  // The popup: a title (a link when the feature has an address of its own) and lines of text.
  function popup(title, href, lines) {
    var box = document.createElement("div");
    var head = document.createElement(href ? "a" : "strong");
    if (href) head.href = href;
    head.textContent = title;
    box.appendChild(head);
    lines.forEach(function (text) {
      if (!text) return;
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  function join(parts) {
    return parts.filter(function (p) { return p; }).join(" · ");
  }

  function sameOrigin(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : null;
  }

  var lang = document.documentElement.lang || "fr";
  var POPUPS = {
    "case-status": function (p, spec) {
      return popup(join([p.reference, p.subject]), "/cases/" + encodeURIComponent(p.case_id),
        [labelOf(spec, p.status)]);
    },
    "inspection": function (p, spec) {
      var when = p.observed_at ? new Date(p.observed_at).toLocaleString(lang === "ar" ? "ar-MA" : "fr-FR") : "";
      return popup(p.case_reference || spec.label, sameOrigin(p.url),
        [when, labelOf(spec, valueOf("inspection", p)), (p.codes || []).join(", ")]);
    },
    "permit-state": function (p, spec) {
      return popup(join([p.number, p.holder]), sameOrigin(p.url),
        [labelOf(spec, p.state), p.structure_id ? String(p.structure_id) : ""]);
    },
    "boundary": function (p) {
      return popup((lang === "ar" ? p.name_ar : p.name_fr) || p.code, null, []);
    }
  };

  // One layer's features as Leaflet layers.
  function draw(spec, data, group) {
    var style = STYLES[spec.style] ? spec.style : "case-status";
    var points = [];
    (data.features || []).forEach(function (f) {
      var g = f.geometry, p = f.properties || {};
      if (!g) return;
      var shape;
      if (style === "boundary") {
        shape = L.geoJSON(f, {
          interactive: true,
          style: { color: "#1a56db", weight: 2, dashArray: "6 4", fillColor: "#1a56db", fillOpacity: 0.04 }
        });
      } else if (g.type === "Point") {
        var c = g.coordinates;
        shape = dot(c[1], c[0], STYLES[style].colours[valueOf(style, p)], style === "inspection" ? 5 : 7);
        points.push([c[1], c[0]]);
      } else {
        return;
      }
      shape.bindPopup(POPUPS[style](p, spec));
      group.addLayer(shape);
    });
    return points;
  }

  function swatch(colour, outline) {
    var s = document.createElement("span");
    s.className = outline ? "swatch outline" : "swatch";
    s.setAttribute("aria-hidden", "true");
    if (outline) s.style.borderColor = colour; else s.style.backgroundColor = colour;
    return s;
  }

  function layered(el) {
    var specs;
    try { specs = JSON.parse(el.dataset.layers); } catch (e) { specs = []; }
    var map = base(el).setView([33.57, -7.6], 11);
    var panel = document.createElement("fieldset");
    panel.className = "map-layers";
    var title = document.createElement("legend");
    title.textContent = el.dataset.layersTitle || "";
    panel.appendChild(title);
    var framed = false;
    var shown = {};

    function count() {
      var total = 0;
      Object.keys(shown).forEach(function (id) { total += shown[id]; });
      el.dataset.points = String(total);
    }

    specs.forEach(function (spec) {
      var group = L.featureGroup();
      var loading = null, points = [];
      var item = document.createElement("div");
      item.className = "map-layer";
      var label = document.createElement("label");
      label.className = "check";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "layer";
      box.value = spec.id;
      box.checked = !!spec.on;
      label.appendChild(box);
      var style = STYLES[spec.style] || STYLES["case-status"];
      if (spec.style === "boundary") label.appendChild(swatch("#1a56db", true));
      var name = document.createElement("span");
      name.textContent = spec.label;
      label.appendChild(name);
      item.appendChild(label);
      if (spec.legend && spec.legend.length) {
        var list = document.createElement("ul");
        list.className = "map-legend";
        spec.legend.forEach(function (entry) {
          var li = document.createElement("li");
          li.appendChild(swatch(style.colours[entry.value] || FALLBACK, false));
          li.appendChild(document.createTextNode(entry.label));
          list.appendChild(li);
        });
        item.appendChild(list);
      }
      panel.appendChild(item);

      function load() {
        if (!loading) {
          loading = fetch(spec.source, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
            .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
            .then(function (data) { points = draw(spec, data, group); box.dataset.count = String(points.length); })
            .catch(function () {
              loading = null;
              if (!item.querySelector(".map-layer-failed")) {
                var failed = document.createElement("span");
                failed.className = "map-layer-failed";
                failed.setAttribute("role", "status");
                failed.textContent = el.dataset.layersFailed || "";
                label.appendChild(failed);
              }
              throw new Error("layer");
            });
        }
        return loading;
      }
      function show() {
        load().then(function () {
          var failed = item.querySelector(".map-layer-failed");
          if (failed) failed.remove();
          if (!box.checked) return;
          group.addTo(map);
          if (spec.style === "boundary") group.bringToBack();
          shown[spec.id] = points.length;
          count();
          if (!framed && points.length) {
            framed = true;
            map.fitBounds(points, { padding: [20, 20], maxZoom: 16 });
          }
        }, function () {});
      }
      box.addEventListener("change", function () {
        if (box.checked) { show(); return; }
        map.removeLayer(group);
        delete shown[spec.id];
        count();
      });
      if (box.checked) show();
    });
    count();
    el.parentNode.insertBefore(panel, el.nextSibling);
  }

  var single = document.getElementById("case-map");
  if (single) {
    var lat = parseFloat(single.dataset.lat), lon = parseFloat(single.dataset.lon);
    var m = base(single).setView([lat, lon], 16);
    dot(lat, lon, STYLES["case-status"].colours[single.dataset.status]).addTo(m);
  }
  Array.prototype.forEach.call(document.querySelectorAll(".map[data-layers]"), layered);
  // For the other scripts that draw a map (static/permits.js): the same base map and colours.
  window.policeMaps = { base: base, dot: dot, colours: function (style) { return STYLES[style].colours; } };
})();
