// The map page (/geo/map/{code}): a division's children as polygons with their names, details on
// click, and boundary editing for grids. The strict CSP allows no inline script, so everything the
// page knows (URLs, settings, localized texts) arrives as data- attributes on #geo-map.
(() => {
  "use strict";

  const root = document.getElementById("geo-map");
  if (!root || !window.L) {
    return;
  }
  const data = root.dataset;
  const texts = JSON.parse(data.texts || "{}");
  const levelNames = texts.levels || {};
  const editableLevels = new Set((data.editableLevels || "").split(" ").filter(Boolean));
  const canEdit = editableLevels.size > 0 && Boolean(L.PM);
  const status = document.getElementById("geo-map-status");
  const panel = document.getElementById("geo-details");
  const palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6"];

  const format = (template, ...args) =>
    String(template || "").replace(/\{(\d+)\}/g, (_, i) => (args[Number(i)] === undefined ? "" : String(args[Number(i)])));
  const urlFor = (template, code) => template.replace("__CODE__", encodeURIComponent(code));
  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);

  const maxZoom = Number(data.maxZoom) || 20;
  const map = L.map(root, { maxZoom, zoomSnap: 0.25, zoomDelta: 0.5 });
  if (data.tileUrl) {
    L.tileLayer(data.tileUrl, { maxZoom, attribution: data.tileAttribution || "" }).addTo(map);
    root.classList.add("cg-map-tiles");
  }

  /** code → { code, feature, layer, label, colour } */
  const areas = new Map();
  let selected = null;
  let editing = null;

  function setStatus(text, failed) {
    status.textContent = text;
    status.classList.toggle("text-danger", Boolean(failed));
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/geo+json, application/json" } });
    if (!response.ok) {
      throw new Error(`${response.status} ${response.statusText}`);
    }
    return response.json();
  }

  const latLngsOf = (geometry) =>
    L.GeoJSON.coordsToLatLngs(geometry.coordinates, geometry.type === "Polygon" ? 1 : 2);

  function styleOf(area) {
    const isSelected = selected === area;
    return {
      color: isSelected ? "#0b3d91" : "#ffffff",
      weight: isSelected ? 3 : 1.5,
      opacity: 1,
      fillColor: area.colour,
      fillOpacity: isSelected ? 0.6 : 0.4,
    };
  }

  // Neighbours get different colours: greedy colouring over overlapping bounding boxes.
  function assignColours(list) {
    const boxes = list.map((a) => a.layer.getBounds().pad(0.01));
    list.forEach((area, i) => {
      const taken = new Set();
      for (let j = 0; j < i; j++) {
        if (boxes[i].intersects(boxes[j])) {
          taken.add(list[j].colour);
        }
      }
      area.colour = palette.find((c) => !taken.has(c)) || palette[i % palette.length];
    });
  }

  // Names on the map drop what the map's title already says: "友谊小区第一社区第3网格" on the map of
  // 友谊小区第一社区居委会 reads "第3网格"; a committee's title ("…社区居委会", "…村委会") is cut to the place.
  const placeName = (name) => name.replace(/居委会$/, "").replace(/村委会$/, "村");
  const parentStem = placeName(data.name || "");

  function labelText(name) {
    const text = parentStem.length >= 2 && name.startsWith(parentStem) && name.length > parentStem.length
      ? name.slice(parentStem.length)
      : name;
    return placeName(text);
  }

  function labelFor(area) {
    const point = area.feature.properties.labelPoint;
    const at = point ? L.latLng(point[1], point[0]) : area.layer.getCenter();
    const content = element("span", "", labelText(area.feature.properties.name));
    return L.tooltip({ permanent: true, direction: "center", className: "cg-map-label", interactive: false, opacity: 1 })
      .setLatLng(at)
      .setContent(content);
  }

  // A name is shown where its area is big enough on screen to hold it and no bigger area's name
  // (or the selected one's) is already there.
  function fitLabels() {
    const shown = [];
    const measured = [];
    for (const area of areas.values()) {
      const label = area.label?.getElement();
      if (!label) {
        continue;
      }
      const bounds = area.layer.getBounds();
      const nw = map.latLngToContainerPoint(bounds.getNorthWest());
      const se = map.latLngToContainerPoint(bounds.getSouthEast());
      measured.push({ area, label, width: se.x - nw.x, height: se.y - nw.y, box: label.getBoundingClientRect() });
    }
    measured.sort((a, b) => Number(b.area === selected) - Number(a.area === selected) || b.width * b.height - a.width * a.height);
    for (const m of measured) {
      const fits = m.width >= m.box.width * 0.6 && m.height >= 14 && editing?.area !== m.area;
      const free = !shown.some((box) =>
        m.box.left < box.right + 2 && box.left < m.box.right + 2 && m.box.top < box.bottom && box.top < m.box.bottom);
      const visible = fits && free;
      m.label.classList.toggle("cg-map-label-hidden", !visible);
      if (visible) {
        shown.push(m.box);
      }
    }
  }

  function addArea(feature) {
    const code = String(feature.properties.code || feature.id);
    const layer = L.GeoJSON.geometryToLayer(feature, {});
    const area = { code, feature, layer, label: null, colour: palette[0] };
    layer.on("click", (event) => {
      L.DomEvent.stop(event);
      if (!editing) {
        select(code);
      }
    });
    areas.set(code, area);
    return area;
  }

  function select(code) {
    const area = areas.get(code) || null;
    const previous = selected;
    selected = area;
    if (previous) {
      previous.layer.setStyle(styleOf(previous));
    }
    if (area) {
      area.layer.setStyle(styleOf(area));
      area.layer.bringToFront();
    }
    renderDetails(area);
    fitLabels();
    return area;
  }

  function renderDetails(area, message) {
    panel.replaceChildren();
    if (!area) {
      panel.append(element("p", "mb-0 text-muted", texts.hint));
      return;
    }
    const p = area.feature.properties;
    panel.append(element("h3", "h5 mb-2", p.name));
    const facts = element("dl", "row mb-2 cg-map-facts");
    const fact = (term, value, className) => {
      facts.append(element("dt", "col-5", term), element("dd", `col-7 ${className || ""}`.trim(), value));
    };
    fact(texts.code, area.code, "font-monospace");
    fact(texts.level, levelNames[p.level] || p.level);
    fact(texts.childCount, numberFormat.format(p.childCount || 0));
    facts.lastChild.dataset.childCount = String(p.childCount || 0);
    panel.append(facts);

    const links = element("div", "d-flex flex-wrap gap-2 mb-2");
    if ((p.childCount || 0) > 0 && area.code !== data.code) {
      const drill = element("a", "btn btn-sm btn-primary", texts.drillDown);
      drill.href = urlFor(data.mapUrl, area.code);
      links.append(drill);
    }
    const tree = element("a", "btn btn-sm btn-outline-primary", texts.openTree);
    tree.href = urlFor(data.treeUrl, area.code);
    links.append(tree);
    panel.append(links);

    if (canEdit && editableLevels.has(p.level)) {
      const tools = element("div", "d-flex flex-wrap gap-2 mb-2");
      if (editing?.area === area) {
        panel.append(element("p", "small mb-2", texts.editing));
        const save = element("button", "btn btn-sm btn-success", texts.save);
        save.type = "button";
        save.id = "geo-save";
        save.addEventListener("click", () => saveEdit());
        const cancel = element("button", "btn btn-sm btn-outline-secondary", texts.cancel);
        cancel.type = "button";
        cancel.addEventListener("click", () => cancelEdit());
        tools.append(save, cancel);
      } else {
        const edit = element("button", "btn btn-sm btn-outline-success", texts.edit);
        edit.type = "button";
        edit.id = "geo-edit";
        edit.disabled = Boolean(editing);
        edit.addEventListener("click", () => startEdit(area));
        tools.append(edit);
      }
      panel.append(tools);
    }
    if (message) {
      panel.append(message);
    }
  }

  function alertBox(kind, text, items) {
    const box = element("div", `alert alert-${kind} py-2 mb-0`, text);
    box.id = "geo-message";
    box.setAttribute("role", kind === "danger" ? "alert" : "status");
    if (items && items.length > 0) {
      const list = element("ul", "mb-0 mt-1 ps-3");
      for (const item of items) {
        list.append(element("li", "", item));
      }
      box.append(list);
    }
    return box;
  }

  function startEdit(area) {
    if (editing || !canEdit) {
      return;
    }
    if (selected !== area) {
      select(area.code);
    }
    editing = { area, original: JSON.parse(JSON.stringify(area.feature.geometry)) };
    area.layer.pm.enable({ allowSelfIntersection: false });
    fitLabels();
    renderDetails(area);
  }

  function endEdit() {
    const area = editing.area;
    area.layer.pm.disable();
    editing = null;
    area.layer.setStyle(styleOf(area));
    fitLabels();
    return area;
  }

  function cancelEdit() {
    if (!editing) {
      return;
    }
    const original = editing.original;
    const area = endEdit();
    area.layer.setLatLngs(latLngsOf(original));
    renderDetails(area);
  }

  // Replaces the shape being edited (what dragging the handles does, in one step).
  function reshape(geometry) {
    const layer = editing.area.layer;
    layer.pm.disable();
    layer.setLatLngs(latLngsOf(geometry));
    layer.pm.enable({ allowSelfIntersection: false });
  }

  async function saveEdit() {
    if (!editing) {
      return { ok: false, message: "not editing" };
    }
    const { area, original } = editing;
    const geometry = area.layer.toGeoJSON(false).geometry;
    for (const button of panel.querySelectorAll("button")) {
      button.disabled = true;
    }
    panel.append(alertBox("secondary", texts.saving));
    let response = null;
    let body = null;
    let failure = null;
    try {
      response = await fetch(`${data.apiBase}${encodeURIComponent(area.code)}/boundary`, {
        method: "PUT",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, application/problem+json",
          // The page's sign-in cookie is accepted on API writes only with the antiforgery token.
          "X-CSRF-TOKEN": document.querySelector('meta[name="csrf-token"]')?.content ?? "",
        },
        body: JSON.stringify(geometry),
      });
      body = await response.json().catch(() => null);
    } catch (error) {
      failure = error.message;
    }
    endEdit();
    if (response?.ok) {
      area.feature.geometry = geometry;
      const warnings = (body && body.warnings) || [];
      renderDetails(area, alertBox(warnings.length > 0 ? "warning" : "success",
        `${body?.changed === false ? texts.unchanged : texts.saved}${warnings.length > 0 ? ` ${texts.warnings}` : ""}`, warnings));
      refreshLabel(area);
      return { ok: true, changed: body?.changed !== false, warnings };
    }
    area.layer.setLatLngs(latLngsOf(original));
    const reason = failure || problemText(body) || (response ? `HTTP ${response.status}` : "");
    renderDetails(area, alertBox("danger", format(texts.refused, reason)));
    return { ok: false, status: response?.status || 0, message: reason };
  }

  function problemText(problem) {
    if (!problem) {
      return "";
    }
    const errors = problem.errors || {};
    const messages = errors.geometry || Object.values(errors)[0];
    return (Array.isArray(messages) && messages.length > 0 ? messages[0] : null) || problem.detail || problem.title || "";
  }

  // The saved shape's best label point comes from the server, like the others'.
  async function refreshLabel(area) {
    try {
      const feature = await getJson(`${data.apiBase}${encodeURIComponent(area.code)}/boundary`);
      if (feature.properties?.labelPoint) {
        const [lon, lat] = feature.properties.labelPoint;
        area.label.setLatLng([lat, lon]);
      }
    } catch {
      area.label.setLatLng(area.layer.getCenter());
    }
    fitLabels();
  }

  async function load() {
    setStatus(texts.loading);
    const [children, own] = await Promise.all([
      getJson(data.childrenUrl),
      data.boundaryUrl ? getJson(data.boundaryUrl) : Promise.resolve(null),
    ]);
    let features = children.features || [];
    let outline = null;
    if (own && features.length === 0) {
      // Nothing drawn below (a grid without micro-grids): show the division itself, selectable and editable.
      own.properties.childCount = Number(data.childCount) || 0;
      features = [own];
    } else if (own) {
      outline = L.geoJSON(own, { interactive: false, style: { color: "#34495e", weight: 2, dashArray: "6 4", fill: false } });
    }

    const list = features.map(addArea);
    assignColours(list);

    // The view first: Leaflet projects shapes only on a map that has one.
    const bounds = L.latLngBounds([]);
    for (const area of list) {
      bounds.extend(area.layer.getBounds());
    }
    if (outline) {
      bounds.extend(outline.getBounds());
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
    } else {
      map.setView([37, 104], 4);
    }

    if (outline) {
      outline.addTo(map);
    }
    for (const area of list) {
      area.layer.setStyle(styleOf(area));
      area.layer.addTo(map);
      area.layer.getElement()?.setAttribute("data-code", area.code);
      area.label = labelFor(area).addTo(map);
      area.label.getElement()?.setAttribute("data-code", area.code);
    }
    setStatus(list.length > 0 ? format(texts.shown, numberFormat.format(list.length)) : texts.noShapes);
    map.on("zoomend moveend", fitLabels);
    map.on("click", () => {
      if (!editing) {
        select(null);
      }
    });
    fitLabels();
    root.dataset.ready = "true";
    return list.length;
  }

  // Resolves to the number of areas drawn, or -1 when the shapes could not be loaded.
  const ready = load().catch((error) => {
    setStatus(format(texts.loadFailed, error.message), true);
    return -1;
  });

  // A small handle for tests and for scripting the page: the same paths as the buttons.
  window.CivicGridMap = {
    ready,
    areaCount: () => areas.size,
    select: (code) => Boolean(select(code)),
    startEdit: (code) => {
      const area = areas.get(code);
      if (area) {
        startEdit(area);
      }
      return Boolean(editing);
    },
    cancelEdit,
    /** Redraws a grid's boundary as the given GeoJSON geometry and saves it through the page. */
    saveBoundary: async (code, geometry) => {
      const area = areas.get(code);
      if (!area) {
        return { ok: false, message: `no area ${code} on this map` };
      }
      if (!editing) {
        startEdit(area);
      }
      if (!editing || editing.area !== area) {
        return { ok: false, message: "cannot edit" };
      }
      reshape(geometry);
      return saveEdit();
    },
  };
})();
