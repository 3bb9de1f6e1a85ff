// The officer's pages: GPS, photos taken one by one, sending with a progress bar, and the
// outbox of submissions kept on the phone while the network is down. A kept submission is
// replayed with the id the phone gave it, so the server records it once however often it
// arrives. No framework; no inline script (the Content-Security-Policy forbids it).
(() => {
  "use strict";

  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const messages = document.getElementById("outbox-messages");
  const text = (key, values = {}) =>
    (messages ? messages.dataset[key] || "" : "").replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");

  // --- the outbox (IndexedDB) ---------------------------------------------------------------
  const DB = "police-outbox";
  const STORE = "submissions";
  const openDb = () =>
    new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const withStore = async (mode, action) => {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  };
  const outbox = {
    put: (item) => withStore("readwrite", (s) => s.put(item)),
    all: () => withStore("readonly", (s) => s.getAll()),
    remove: (id) => withStore("readwrite", (s) => s.delete(id)),
  };

  function send(url, entries, token, onProgress) {
    return new Promise((resolve) => {
      const data = new FormData();
      for (const [name, value] of entries) data.append(name, name === "csrf_token" ? token : value);
      // The phone's clock at this very sending (a replay has its own): the server compares.
      data.set("sent_at", new Date().toISOString());
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", token);
      xhr.timeout = 180000;
      if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((100 * e.loaded) / e.total));
      xhr.onload = () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (_) { /* an HTML error page */ }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = xhr.ontimeout = () => resolve({ status: 0, body: null });
      xhr.send(data);
    });
  }

  const box = document.getElementById("outbox");
  const sentList = document.getElementById("outbox-sent");
  function announce(line) {
    if (!box) return;
    const li = document.createElement("li");
    li.textContent = line;
    sentList.append(li);
    box.hidden = false;
  }
  async function showCount() {
    if (!box) return;
    const items = await outbox.all();
    const waiting = items.filter((i) => !i.error);
    const count = document.getElementById("outbox-count");
    count.textContent = waiting.length === 1 ? text("waitingOne") : waiting.length ? text("waitingMany", { n: waiting.length }) : "";
    document.getElementById("outbox-send").hidden = !waiting.length;
    count.dataset.count = String(waiting.length);
    // Refused ones wait for the officer: opened again in the form, completed (a late-entry
    // reason, say) and sent under the same id.
    const refused = items.filter((i) => i.error);
    document.getElementById("outbox-refused").replaceChildren(
      ...refused.map((item) => {
        const li = document.createElement("li");
        li.textContent = `${item.summary || "—"} · ${text("keptRefused", { error: item.error })} `;
        const brigade = (item.entries.find(([name]) => name === "brigade") || [])[1] || "";
        const link = document.createElement("a");
        link.className = "button secondary";
        link.href = `/officer/inspections/new/${encodeURIComponent(brigade)}?resume=${encodeURIComponent(item.id)}`;
        link.textContent = text("resume");
        li.append(link);
        return li;
      }),
    );
    box.hidden = !items.length && !sentList.children.length;
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      const waiting = (await outbox.all()).filter((i) => !i.error);
      if (!waiting.length) return;
      const fresh = await fetch("/csrf", { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
      if (fresh.status === 401) { announce(text("login")); return; }
      if (!fresh.ok) return;
      const { csrf_token: token } = await fresh.json();
      for (const item of waiting) {
        const result = await send(item.url, item.entries, token);
        if (result.status === 200 && result.body) {
          await outbox.remove(item.id);
          announce(result.body.case_reference ? text("sent", { ref: result.body.case_reference }) : text("sentCompliant"));
        } else if (result.status === 0 || result.status >= 500) {
          break; // still unreachable: the next attempt comes by itself
        } else if (result.status === 401) {
          announce(text("login"));
          break;
        } else {
          // Refused as it stands (the form was checked when it was typed, so this is rare):
          // kept on the phone with the reason, out of the automatic queue.
          const reason = result.body ? result.body.error || Object.values(result.body.errors || {}).join(" ") : String(result.status);
          await outbox.put({ ...item, error: reason, errors: (result.body && result.body.errors) || null });
          announce(text("refused", { error: reason }));
        }
      }
    } catch (_) {
      // offline again, or storage unavailable: try later
    } finally {
      flushing = false;
      showCount();
    }
  }

  if (box) {
    document.getElementById("outbox-send").addEventListener("click", flush);
    window.addEventListener("online", flush);
    setInterval(flush, 20000);
    showCount().then(flush);
  }
  // --- the day: visits ordered by a route from here, ticked once kept or sent, kept offline ---
  const day = document.getElementById("visit-list");
  const visitKey = (entries) => {
    const value = (name) => (entries.find(([n]) => n === name) || [])[1] || "";
    if (value("visit")) return value("visit");
    if (value("follow_up_case_id")) return "follow_up:" + value("follow_up_case_id");
    if (value("report_number")) return "report:" + value("report_number").toUpperCase();
    return "";
  };
  async function tickKept() {
    const kept = new Set((await outbox.all()).map((i) => visitKey(i.entries)).filter(Boolean));
    for (const li of day.querySelectorAll("li[data-visit]")) {
      const waiting = kept.has(li.dataset.visit);
      li.classList.toggle("kept", waiting);
      li.querySelector(".ticked").hidden = !waiting;
    }
  }
  const metres = (a, b) => {
    const rad = Math.PI / 180;
    const x = (b[1] - a[1]) * rad * Math.cos(((a[0] + b[0]) / 2) * rad);
    return 6371000 * Math.hypot(x, (b[0] - a[0]) * rad);
  };
  function orderFrom(here) {
    // Nearest first, then the nearest to that one, and so on: a short round on foot without
    // a routing server. Visits without a position keep their order, after the others.
    const placed = [...day.children].filter((li) => li.dataset.lat);
    const rest = [...day.children].filter((li) => !li.dataset.lat);
    const route = [];
    let at = here;
    while (placed.length) {
      let best = 0;
      placed.forEach((li, i) => {
        if (metres(at, [+li.dataset.lat, +li.dataset.lon]) < metres(at, [+placed[best].dataset.lat, +placed[best].dataset.lon])) best = i;
      });
      const [next] = placed.splice(best, 1);
      route.push(next);
      at = [+next.dataset.lat, +next.dataset.lon];
    }
    day.replaceChildren(...route, ...rest);
  }
  if (day) {
    const button = document.getElementById("route-order");
    const status = document.getElementById("route-status");
    const order = () => {
      status.textContent = button.dataset.ordering;
      navigator.geolocation.getCurrentPosition(
        (p) => { orderFrom([p.coords.latitude, p.coords.longitude]); status.textContent = button.dataset.ordered; },
        () => { status.textContent = button.dataset.unavailable; },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 120000 },
      );
    };
    if ("geolocation" in navigator) {
      button.hidden = false;
      button.addEventListener("click", order);
      if (navigator.permissions) {
        navigator.permissions.query({ name: "geolocation" }).then((p) => p.state === "granted" && order()).catch(() => {});
      }
    }
    tickKept().catch(() => {});
    window.addEventListener("focus", () => tickKept().catch(() => {}));
    // The forms of the day's visits, kept by the service worker for a street without network.
    const forms = [...day.querySelectorAll("a[data-keep]")].map((a) => a.getAttribute("href"));
    navigator.serviceWorker?.ready.then((sw) => sw.active && sw.active.postMessage({ keep: forms })).catch(() => {});
  }

  if ("serviceWorker" in navigator && document.body) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }

  // --- the inspection form ----------------------------------------------------------------
  const form = document.getElementById("inspection-form");
  if (!form) return;
  const field = (name) => form.elements.namedItem(name);

  const newId = () =>
    crypto.randomUUID ? crypto.randomUUID() : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
  // A fresh id for each form shown, even when the page comes from the offline cache.
  field("submission_id").value = newId();

  // GPS, and the nearest arrondissement as a suggestion the officer can change.
  const gps = document.getElementById("gps-status");
  const select = field("arrondissement");
  select.addEventListener("change", () => { select.dataset.chosen = "1"; });
  let lastPosition = null;
  // Opened again from the outbox: the record keeps where it was made, not where the phone is.
  const resumeId = new URLSearchParams(location.search).get("resume");
  let resuming = Boolean(resumeId);
  const place = (position) => {
    lastPosition = position;
    if (resuming) return;
    const { latitude, longitude, accuracy } = position.coords;
    field("lat").value = latitude.toFixed(6);
    field("lon").value = longitude.toFixed(6);
    field("accuracy").value = Math.round(accuracy);
    if (!field("opened_lat").value) {
      // The first fix once the form is open: kept beside the one at sending.
      field("opened_lat").value = latitude.toFixed(6);
      field("opened_lon").value = longitude.toFixed(6);
      field("opened_accuracy").value = Math.round(accuracy);
    }
    const limit = Number(gps.dataset.limit);
    const imprecise = limit && accuracy > limit;
    gps.textContent = (imprecise ? gps.dataset.imprecise : gps.dataset.located)
      .replace("{m}", Math.round(accuracy)).replace("{limit}", limit);
    gps.className = imprecise ? "gps imprecise" : "gps located";
    form.dispatchEvent(new CustomEvent("police:located", { detail: { latitude, longitude } }));
    if (!select.dataset.chosen) {
      let best = null;
      let bestDistance = Infinity;
      for (const option of select.options) {
        if (!option.dataset.lat) continue;
        const d = (option.dataset.lat - latitude) ** 2 + ((option.dataset.lon - longitude) * Math.cos((latitude * Math.PI) / 180)) ** 2;
        if (d < bestDistance) { best = option; bestDistance = d; }
      }
      if (best) select.value = best.value;
    }
  };
  if ("geolocation" in navigator) {
    gps.textContent = gps.dataset.locating;
    navigator.geolocation.watchPosition(
      place,
      () => { gps.textContent = gps.dataset.unavailable; gps.className = "gps unavailable"; },
      { enableHighAccuracy: true, maximumAge: 30000, timeout: 20000 },
    );
  }

  // Photos: the camera gives one at a time; keep them all until sending.
  const photos = [];
  const input = form.querySelector('input[type="file"][name="photos"]');
  const previews = document.getElementById("photo-previews");
  const drawPreviews = () => {
    previews.replaceChildren(
      ...photos.map((file, index) => {
        const li = document.createElement("li");
        const img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link";
        remove.textContent = "✕";
        remove.addEventListener("click", () => { photos.splice(index, 1); drawPreviews(); });
        li.append(img, remove);
        return li;
      }),
    );
  };
  input.addEventListener("change", () => {
    photos.push(...input.files);
    input.value = "";
    drawPreviews();
  });

  const progress = document.getElementById("send-progress");
  const bar = progress.querySelector("progress");
  const label = progress.querySelector("span");
  const showErrors = (errors) => {
    form.querySelectorAll(".field-error.js").forEach((p) => p.remove());
    for (const [name, message] of Object.entries(errors)) {
      const p = document.createElement("p");
      p.className = "field-error js";
      p.setAttribute("role", "alert");
      p.textContent = message;
      const target = form.elements.namedItem(name) || form.elements.namedItem("finding") || form.querySelector("button[type=submit]");
      const anchor = target instanceof RadioNodeList ? target[0] : target;
      (anchor.closest("label") || anchor).after(p);
    }
    form.querySelector(".field-error.js")?.scrollIntoView({ block: "center" });
  };
  const keep = async (entries, summary) => {
    await outbox.put({ id: field("submission_id").value, url: form.action, entries, summary, created: Date.now() });
    announce(text("kept"));
    if (visitKey(entries)) return location.assign("/officer"); // the visit is ticked there
    resumed = null;
    resuming = false;
    form.reset();
    delete select.dataset.chosen;
    for (const name of ["opened_lat", "opened_lon", "opened_accuracy"]) field(name).value = "";
    if (lastPosition) place(lastPosition); // still standing there: keep the position
    photos.length = 0;
    drawPreviews();
    field("submission_id").value = newId();
    showCount();
    window.scrollTo(0, 0);
  };

  // A kept submission the server refused, opened again: what was typed, its photos, its id and
  // the time it was observed (not now).
  let resumed = null;
  if (resumeId) {
    outbox.all().then((items) => {
      resumed = items.find((i) => i.id === resumeId) || null;
      if (!resumed) {
        resuming = false;
        if (lastPosition) place(lastPosition);
        return;
      }
      for (const name of ["lat", "lon", "accuracy", "opened_lat", "opened_lon", "opened_accuracy"]) field(name).value = "";
      gps.textContent = "";
      for (const [name, value] of resumed.entries) {
        if (value instanceof Blob) { photos.push(value); continue; }
        if (name === "csrf_token") continue;
        const element = field(name);
        if (!element) continue;
        const choices = element instanceof RadioNodeList ? [...element] : [element];
        for (const one of choices) {
          if (one.type === "checkbox" || one.type === "radio") one.checked = one.checked || one.value === value;
          else one.value = value;
        }
      }
      select.dataset.chosen = "1";
      drawPreviews();
      const late = form.querySelector("details.late-entry");
      if (late) late.open = true;
      showErrors(resumed.errors || { general: resumed.error });
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    field("observed_at").value = resumed ? field("observed_at").value : new Date().toISOString();
    const entries = [...new FormData(form).entries()].filter(([name]) => name !== "photos");
    for (const file of photos) entries.push(["photos", file]);
    const summary = (field("plate") || field("trade_name") || field("full_name") || {}).value || "";
    if (!navigator.onLine) return keep(entries, summary);
    progress.hidden = false;
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    const result = await send(form.action, entries, csrf(), (p) => {
      bar.value = p;
      label.textContent = label.dataset.sending.replace("{p}", p);
    });
    submit.disabled = false;
    progress.hidden = true;
    if (result.status === 200 && result.body) {
      if (resumed) await outbox.remove(resumed.id);
      return location.assign(result.body.url);
    }
    if (result.status === 0 || result.status >= 500 || result.status === 401) return keep(entries, summary);
    if (result.body && result.body.errors) return showErrors(result.body.errors);
    showErrors({ general: result.body ? result.body.error : String(result.status) });
  });
})();
