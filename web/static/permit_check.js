// The public-domain form's permit check: the permits within 50 m of the phone (asked again
// when it moves 15 m), a small map of them, the finding the comparison will add (the server
// derives and records it: this only tells the officer before sending), and the billboard's
// structure identifier read from a photo where the phone can decode a QR code or barcode.
(() => {
  "use strict";
  const form = document.getElementById("inspection-form");
  const near = document.getElementById("permits-near");
  if (!form || !near) return;
  const proposal = document.getElementById("permit-proposal");
  const fines = JSON.parse(proposal.dataset.fines || "{}");
  const number = (name) => parseFloat((form.elements.namedItem(name)?.value || "").replace(",", "."));
  const decimal = (value) => String(Math.round(value * 100) / 100).replace(".", ",");
  const money = (code, quantity) => {
    const entry = fines[code];
    if (!entry) return "";
    const amount = Number(entry.fine) * (entry.per_m2 && quantity ? quantity : 1);
    return new Intl.NumberFormat(document.documentElement.lang === "ar" ? "ar-MA" : "fr-FR",
      { style: "currency", currency: "MAD" }).format(amount);
  };
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");

  const propose = () => {
    const picked = form.querySelector("input[name=permit_pick]:checked");
    const lines = [];
    const measured = number("occupied_surface_m2");
    if (picked && picked.value === "none") {
      lines.push(fill(proposal.dataset.none, { code: "ODP-01" }));
    } else if (picked) {
      const state = picked.dataset.state;
      if (state === "suspended" || state === "revoked") {
        lines.push(fill(proposal.dataset.suspended, { code: "ODP-01" }));
      } else if (state === "expired" || state === "pending") {
        lines.push(fill(proposal.dataset.expired, { code: "ODP-07" }));
      } else if (measured > 0) {
        const excess = measured - parseFloat(picked.dataset.authorised);
        lines.push(excess > 0
          ? fill(proposal.dataset.excess, { m: decimal(excess), code: "ODP-02", amount: money("ODP-02", excess) })
          : proposal.dataset.within);
      }
      const required = parseFloat(picked.dataset.path), path = number("walking_path_m");
      if (required > 0 && path >= 0 && path < required) {
        lines.push(fill(proposal.dataset.path, { m: decimal(path), required: decimal(required), code: "ODP-08" }));
      }
    }
    proposal.replaceChildren(...lines.map((line) => Object.assign(document.createElement("p"), { textContent: line })));
    proposal.hidden = !lines.length;
  };
  form.addEventListener("change", propose);
  form.addEventListener("input", (event) => {
    if (["occupied_surface_m2", "walking_path_m"].includes(event.target.name)) propose();
  });

  // Asked again only when the phone has moved: a GPS fix comes every second or so.
  let asked = null;
  form.addEventListener("police:located", (event) => {
    const { latitude, longitude } = event.detail;
    if (asked) {
      const dy = (latitude - asked[0]) * 111320;
      const dx = (longitude - asked[1]) * 111320 * Math.cos((latitude * Math.PI) / 180);
      if (Math.hypot(dx, dy) < 15) return;
    }
    asked = [latitude, longitude];
    if (window.htmx) window.htmx.trigger(near, "located");
  });
  near.addEventListener("htmx:sendError", () => {
    near.replaceChildren(Object.assign(document.createElement("p"), { className: "hint", textContent: near.dataset.offline }));
  });
  near.addEventListener("htmx:afterSwap", () => {
    propose();
    const el = document.getElementById("permits-near-map");
    const maps = window.policeMaps;
    if (!el || !maps || !window.L) return;
    const here = JSON.parse(el.dataset.here);
    const map = maps.base(el).setView(here, 19);
    const colours = maps.colours("permit-state");
    const bounds = [here];
    for (const p of JSON.parse(el.dataset.points)) {
      maps.dot(p.lat, p.lon, colours[p.state], 8).bindTooltip(p.number).addTo(map);
      bounds.push([p.lat, p.lon]);
    }
    L.circleMarker(here, { radius: 5, color: "#0b2545", weight: 3, fillOpacity: 1 }).addTo(map);
    if (bounds.length > 1) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 19 });
  });

  // A photo of the structure's plate, decoded on the phone when it can (BarcodeDetector).
  const scan = document.getElementById("scan-structure");
  if (scan && "BarcodeDetector" in window) {
    scan.closest(".scan").hidden = false;
    scan.addEventListener("change", async () => {
      const file = scan.files[0];
      if (!file) return;
      try {
        const codes = await new window.BarcodeDetector().detect(await createImageBitmap(file));
        if (codes.length) form.elements.namedItem("structure_id").value = codes[0].rawValue.trim().toUpperCase();
      } catch (e) { /* typed by hand then */ }
      scan.value = "";
    });
  }
})();
