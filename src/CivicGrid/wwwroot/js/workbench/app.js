// The grid worker's workbench page (/m/). Renders "my grid today" from /api/v1/workbench/today
// (kept by the service worker for offline use), and queues every action — patrol reports with
// photos, visits with quick edits of residents, case steps, notices read — in IndexedDB through
// CivicGridQueue, sending them when the link allows. No framework; texts come from #wb-texts.
(() => {
  "use strict";

  const texts = JSON.parse(document.getElementById("wb-texts").textContent);
  const queue = self.CivicGridQueue;
  const $ = id => document.getElementById(id);
  const T = (key, ...args) => (texts[key] ?? key).replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ""));
  const tagSeparators = /[、,，;；\s]+/;
  const views = ["today", "report", "visit", "notices", "queue"];
  const syncTag = "civicgrid-workbench";

  let day = null;
  let photos = [];
  let household = null;
  let registration = null;

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (name === "class") {
        node.className = value;
      } else if (name.startsWith("on")) {
        node.addEventListener(name.slice(2), value);
      } else {
        node.setAttribute(name, value === true ? "" : value);
      }
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  function when(value) {
    if (!value) {
      return "";
    }
    return new Date(value).toLocaleString(document.documentElement.lang, { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
  }

  function user() {
    return day?.userName ?? localStorage.getItem("wb-user") ?? null;
  }

  // Views and settings.

  function show() {
    const current = views.includes(location.hash.slice(1)) ? location.hash.slice(1) : "today";
    for (const view of views) {
      $(view).hidden = view !== current;
    }
    for (const tab of document.querySelectorAll(".wb-tabs a")) {
      tab.toggleAttribute("aria-current", tab.dataset.view === current);
      if (tab.dataset.view === current) {
        tab.setAttribute("aria-current", "page");
      }
    }
  }

  function fontSize(step) {
    const size = Math.max(-1, Math.min(3, Number(localStorage.getItem("wb-font") ?? 0) + step));
    localStorage.setItem("wb-font", String(size));
    document.documentElement.className = size === 0 ? "" : `wb-font-${size}`;
  }

  function online() {
    $("wb-offline").hidden = navigator.onLine;
  }

  // The day's data.

  async function loadToday() {
    let response = null;
    try {
      response = await fetch("/api/v1/workbench/today", { credentials: "same-origin", headers: { Accept: "application/json" } });
    } catch {
      response = null;
    }
    if (response?.status === 401) {
      signInAsked(true);
      // Signed out: the last day kept still shows what there is to do.
      response = "caches" in self ? await caches.match("/api/v1/workbench/today") : null;
    }
    if (!response?.ok) {
      $("wb-stale").hidden = !day;
      return;
    }
    day = await response.json();
    localStorage.setItem("wb-user", day.userName);
    const age = Date.now() - new Date(day.at).getTime();
    $("wb-stale").hidden = age < 120_000;
    $("wb-stale-at").textContent = when(day.at);
    $("wb-user").textContent = day.userName;
    renderCategories();
    await render();
  }

  async function render() {
    const [pending, conflicts] = await Promise.all([queue.pending(), queue.conflicts()]);
    renderBadge(pending.length, conflicts.length);
    renderQueue(pending, conflicts);
    if (!day) {
      return;
    }
    const queuedSteps = new Set(pending.filter(e => e.kind === "step").map(e => e.caseId));
    const readQueued = new Set(pending.filter(e => e.kind === "read").map(e => e.noticeId));
    renderCases(queuedSteps);
    renderHouseholds();
    renderNotices(readQueued);
  }

  function renderBadge(pending, conflicts) {
    const badge = $("wb-pending");
    badge.dataset.count = String(pending);
    badge.textContent = T("PendingBadge", pending);
    badge.hidden = pending === 0;
    $("wb-conflict-count").textContent = conflicts > 0 ? String(conflicts) : "";
  }

  function renderCases(queuedSteps) {
    const list = $("wb-cases");
    list.replaceChildren();
    const lights = { red: 0, yellow: 0, green: 0 };
    for (const c of day.cases) {
      if (c.light) {
        lights[c.light]++;
      }
      const note = el("textarea", { rows: 2, maxlength: 2000, placeholder: T("Note"), "aria-label": T("Note") });
      const queued = queuedSteps.has(c.id);
      const buttons = c.actions.map(action => el("button", {
        type: "button",
        class: `wb-button ${action === "report" || action === "verify" ? "" : "wb-secondary"}`,
        "data-action": action,
        disabled: queued,
        onclick: () => step(c, action, note.value),
      }, T(`Action.${action}`)));
      list.append(el("li", { "data-case": c.id, "data-number": c.number },
        el("div", {}, el("strong", {}, c.number), " ", c.light ? el("span", { class: "wb-light", "data-light": c.light }, T(`Light.${c.light}`)) : null),
        el("div", {}, c.description),
        el("div", { class: "wb-meta" }, T(`State.${c.state}`), c.dueAt ? ` · ${T("Due")} ${when(c.dueAt)}` : "", ` · ${categoryName(c.categoryCode)}`),
        queued ? el("div", { class: "wb-hint wb-queued" }, T("Queued")) : null,
        c.actions.length > 0 ? el("div", { class: "wb-actions" }, note, buttons) : null));
    }
    $("wb-cases-empty").hidden = day.cases.length > 0;
    $("wb-lights").replaceChildren(...["red", "yellow", "green"].map(light =>
      el("span", { class: "wb-light", "data-light": light, id: `wb-light-${light}` }, `${T(`Light.${light}`)} ${lights[light]}`)));
  }

  function categoryName(code) {
    return day?.categories.find(c => c.code === code)?.name ?? code;
  }

  function renderCategories() {
    const select = $("wb-category");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "" }, T("ChooseCategory")));
    for (const group of day.categories.filter(c => !c.parentCode)) {
      select.append(el("optgroup", { label: group.name },
        day.categories.filter(c => c.parentCode === group.code).map(c => el("option", { value: c.code }, `${c.code} ${c.name}`))));
    }
    select.value = chosen;
  }

  function renderHouseholds() {
    const term = $("wb-household-search").value.trim();
    const list = $("wb-households");
    const matches = day.households.filter(h => !term || h.houseLabel.includes(term) || (h.headName ?? "").includes(term)
      || h.residents.some(r => r.name.includes(term)));
    list.replaceChildren(...matches.slice(0, 50).map(h => el("li", { class: "wb-pick", "data-id": h.id },
      el("button", { type: "button", onclick: () => pickHousehold(h) },
        el("div", {}, h.houseLabel),
        el("div", { class: "wb-meta" }, `${T("Head")} ${h.headName ?? "—"} · ${T("Residents", h.residents.length)}`)))));
    list.hidden = household !== null;
  }

  function renderNotices(readQueued) {
    const unread = day.notices.filter(n => !readQueued.has(n.id));
    $("wb-notice-count").textContent = unread.length > 0 ? String(unread.length) : "";
    $("wb-notices").replaceChildren(...unread.map(n => el("li", { "data-id": n.id },
      el("strong", {}, n.title),
      el("div", {}, n.body),
      el("div", { class: "wb-meta" }, when(n.createdAt)),
      el("div", { class: "wb-actions" },
        n.link ? el("a", { class: "wb-button wb-secondary", href: n.link }, T("Open")) : null,
        el("button", { type: "button", class: "wb-button", onclick: () => markRead(n) }, T("Delivered"))))));
    $("wb-notices-empty").hidden = unread.length > 0;
  }

  function label(entry) {
    switch (entry.kind) {
      case "case": return `${T("Kind.case")}：${entry.body.description.slice(0, 40)}${entry.photos?.length ? ` · ${T("PhotoCount", entry.photos.length)}` : ""}`;
      case "visit": return `${T("Kind.visit")}：${entry.title ?? ""}`;
      case "step": return `${T(`Action.${entry.action}`)}：${entry.caseNumber}`;
      case "read": return `${T("Kind.read")}：${entry.title ?? ""}`;
      case "house": return `${T("Kind.house")}：${entry.title ?? ""}`;
      default: return entry.kind;
    }
  }

  function lastStep(event) {
    return `${T(`Action.${event.action}`)} ${event.note ? `“${event.note}” ` : ""}${event.actor} ${when(event.at)}`;
  }

  function renderQueue(pending, conflicts) {
    $("wb-queue").replaceChildren(...pending.map(e => el("li", { "data-key": e.key, "data-kind": e.kind, "data-attempts": e.attempts ?? 0 },
      el("div", {}, label(e)),
      el("div", { class: "wb-meta" }, when(e.createdAt), e.attempts ? ` · ${T("Attempts", e.attempts)}` : "",
        e.lastProblem?.detail ? ` · ${e.lastProblem.detail}` : ""))));
    $("wb-conflicts").replaceChildren(...conflicts.map(e => {
      const current = e.problem?.current;
      return el("li", { class: "wb-conflict", "data-key": e.key, "data-kind": e.kind, "data-outcome": e.outcome },
        el("div", {}, el("strong", {}, e.outcome === "conflict" ? T("Conflict") : T("Refused")), " ", label(e)),
        el("div", {}, e.problem?.detail ?? e.problem?.title ?? ""),
        e.problem?.errors ? el("div", { class: "wb-meta" }, Object.values(e.problem.errors).flat().join("；")) : null,
        current ? el("div", { class: "wb-meta wb-current" },
          `${T("ServerNow")}：${T(`State.${current.state}`)}`,
          current.assignee ? ` · ${current.assignee}` : "",
          current.timeline?.length ? ` · ${lastStep(current.timeline.at(-1))}` : "") : null,
        el("div", { class: "wb-actions" },
          el("button", { type: "button", class: "wb-button wb-secondary", onclick: () => dismiss(e.key) }, T("Dismiss"))));
    }));
  }

  // Actions: each one queued first, then sent when the link allows.

  async function enqueue(entry) {
    await queue.add({ user: user(), ...entry });
    await render();
    await sync();
  }

  function step(c, action, note) {
    const text = note.trim();
    const needsReason = action === "escalate" || action === "decline";
    if ((action === "report" && !text) || (needsReason && !text)) {
      alert(T("NoteRequired"));
      return;
    }
    return enqueue({
      kind: "step", caseId: c.id, caseNumber: c.number, action, version: c.version,
      body: needsReason ? { reason: text } : text ? { note: text } : {},
    });
  }

  function markRead(notice) {
    return enqueue({ kind: "read", noticeId: notice.id, title: notice.title });
  }

  async function dismiss(key) {
    await queue.dismiss(key);
    await render();
  }

  async function addPhotos(files) {
    for (const file of files) {
      const blob = self.CivicGridPhotos ? await self.CivicGridPhotos.shrink(file) : file;
      photos.push({ blob, name: (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg" });
    }
    $("wb-thumbs").replaceChildren(...photos.map(p => el("li", {}, el("img", { src: URL.createObjectURL(p.blob), alt: "" }))));
  }

  function locate() {
    if (!navigator.geolocation) {
      $("wb-located").textContent = T("NoLocation");
      return;
    }
    $("wb-located").textContent = T("Locating");
    navigator.geolocation.getCurrentPosition(position => {
      $("wb-lon").value = position.coords.longitude.toFixed(6);
      $("wb-lat").value = position.coords.latitude.toFixed(6);
      $("wb-located").textContent = T("Located", Math.round(position.coords.accuracy));
    }, () => { $("wb-located").textContent = T("NoLocation"); }, { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 });
  }

  async function report(event) {
    event.preventDefault();
    const categoryCode = $("wb-category").value;
    const description = $("wb-description").value.trim();
    const lon = Number.parseFloat($("wb-lon").value);
    const lat = Number.parseFloat($("wb-lat").value);
    const error = !categoryCode ? T("ChooseCategory") : !description ? T("DescriptionRequired")
      : !Number.isFinite(lon) || !Number.isFinite(lat) ? T("LocationRequired") : null;
    $("wb-report-error").textContent = error ?? "";
    $("wb-report-error").hidden = !error;
    if (error) {
      return;
    }
    const entry = { kind: "case", body: { categoryCode, lon, lat, description, channel: "patrol" }, photos };
    photos = [];
    $("wb-report-form").reset();
    $("wb-thumbs").replaceChildren();
    $("wb-located").textContent = "";
    location.hash = "#queue";
    await enqueue(entry);
  }

  function pickHousehold(h) {
    household = h;
    $("wb-visit-household").textContent = h.houseLabel;
    $("wb-visit-notes").value = "";
    $("wb-visit-use").value = h.houseUse ?? "";
    $("wb-visit-use").disabled = !h.houseVersion;
    $("wb-visit-residents").replaceChildren(...h.residents.map(r => el("fieldset", { class: "wb-resident", "data-person": r.id },
      el("legend", {}, r.name, " ", el("span", { class: "wb-meta" }, r.phone ?? "")),
      el("input", { type: "tel", inputmode: "tel", maxlength: 20, name: "phone", placeholder: T("NewPhone"), "aria-label": T("NewPhone") }),
      el("input", { name: "address", maxlength: 200, value: r.address ?? "", placeholder: T("Address"), "aria-label": T("Address") }),
      el("input", { name: "tags", maxlength: 200, value: r.tags.join("、"), placeholder: T("Tags"), "aria-label": T("Tags") }))));
    $("wb-visit-form").hidden = false;
    $("wb-households").hidden = true;
    $("wb-household-search").hidden = true;
  }

  function closeVisit() {
    household = null;
    $("wb-visit-form").hidden = true;
    $("wb-household-search").hidden = false;
    $("wb-visit-error").hidden = true;
    renderHouseholds();
  }

  async function visit(event) {
    event.preventDefault();
    const h = household;
    const persons = [];
    for (const fieldset of $("wb-visit-residents").querySelectorAll("fieldset")) {
      const resident = h.residents.find(r => r.id === fieldset.dataset.person);
      const phone = fieldset.querySelector("[name=phone]").value.trim();
      const address = fieldset.querySelector("[name=address]").value.trim();
      const tags = fieldset.querySelector("[name=tags]").value.split(tagSeparators).filter(t => t);
      const update = { id: resident.id };
      if (phone) {
        update.phone = phone;
      }
      if (address !== (resident.address ?? "")) {
        update.address = address;
      }
      if (tags.join("、") !== resident.tags.join("、")) {
        update.tags = tags;
      }
      if (Object.keys(update).length > 1) {
        persons.push(update);
      }
    }
    const notes = $("wb-visit-notes").value.trim();
    const use = $("wb-visit-use").value;
    closeVisit();
    location.hash = "#queue";
    await enqueue({ kind: "visit", title: h.houseLabel, body: { householdId: h.id, notes, persons } });
    if (h.houseVersion && use && use !== h.houseUse) {
      // The house's use goes on its own, checked against the house as it was when the day was loaded.
      await enqueue({ kind: "house", title: h.houseLabel, houseId: h.houseId, version: h.houseVersion, body: { use } });
    }
  }

  // Sending.

  function signInAsked(asked) {
    $("wb-signin").hidden = !asked;
  }

  async function sync() {
    if (registration?.sync) {
      // Sent by the service worker when the link returns, even if this page is closed by then.
      registration.sync.register(syncTag).catch(() => undefined);
    }
    if (!navigator.onLine) {
      $("wb-sync-state").textContent = T("Offline");
      return;
    }
    $("wb-sync-state").textContent = T("Sending");
    const result = await queue.flush(true);
    afterFlush(result);
  }

  async function afterFlush(result) {
    signInAsked(result.stopped === "signIn");
    $("wb-sync-state").textContent = result.stopped === "offline" ? T("Offline") : result.stopped === "signIn" ? T("SignInAgain") : "";
    if (result.sent > 0 || result.conflicts > 0) {
      await loadToday();
    } else {
      await render();
    }
  }

  /** Signs out and forgets the day kept for offline use (people's data); what waits to be sent stays for this user. */
  async function signOut() {
    const pending = (await queue.pending()).length;
    if (pending > 0 && !confirm(T("SignOutPending", pending))) {
      return;
    }
    let token = "";
    try {
      const response = await fetch("/api/v1/workbench/session", { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
      token = response.ok ? (await response.json()).csrfToken : "";
    } catch {
      alert(T("Offline"));
      return;
    }
    if ("caches" in self) {
      await caches.delete("civicgrid-data");
    }
    localStorage.removeItem("wb-user");
    const form = el("form", { method: "post", action: "/account/logout" },
      el("input", { type: "hidden", name: "__RequestVerificationToken", value: token }));
    document.body.append(form);
    form.submit();
  }

  async function start() {
    fontSize(0);
    show();
    online();
    window.addEventListener("hashchange", show);
    window.addEventListener("online", () => { online(); sync(); });
    window.addEventListener("offline", online);
    $("wb-font-up").addEventListener("click", () => fontSize(1));
    $("wb-font-down").addEventListener("click", () => fontSize(-1));
    $("wb-photo").addEventListener("change", event => addPhotos([...event.target.files]));
    $("wb-locate").addEventListener("click", locate);
    $("wb-report-form").addEventListener("submit", report);
    $("wb-household-search").addEventListener("input", renderHouseholds);
    $("wb-visit-form").addEventListener("submit", visit);
    $("wb-visit-cancel").addEventListener("click", closeVisit);
    $("wb-sync").addEventListener("click", sync);
    $("wb-sign-out").addEventListener("click", signOut);
    if ("serviceWorker" in navigator) {
      // The first visit: once the worker controls the page, the day is fetched again through it, so it is kept for offline use.
      navigator.serviceWorker.addEventListener("controllerchange", () => loadToday());
      navigator.serviceWorker.addEventListener("message", event => {
        if (event.data?.type === "flushed") {
          afterFlush(event.data.report);
        }
      });
      try {
        registration = await navigator.serviceWorker.register("/m/sw.js", { scope: "/m/" });
      } catch {
        registration = null;
      }
    }
    await loadToday();
    await render();
    await sync();
    // Retries what failed with a server error, after its backoff.
    setInterval(async () => {
      if (navigator.onLine && (await queue.pending()).some(e => (e.nextAt ?? 0) <= Date.now())) {
        afterFlush(await queue.flush(false));
      }
    }, 15_000);
  }

  start();
})();
