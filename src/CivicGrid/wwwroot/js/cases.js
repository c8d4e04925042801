// The case pages (/cases, /cases/new, /cases/hotline, /cases/{id}). The forms work without this
// script; it adds the map (pick a point, or show the cases of a list or one case), the GPS button
// and photo uploads. The strict CSP allows no inline script: everything arrives as data- attributes.
(() => {
  "use strict";

  const lightColours = { red: "#dc3545", yellow: "#e0a800", green: "#198754" };
  const defaultCentre = [40.657, 109.84]; // Kundulun district, the demo's home
  const status = document.getElementById("case-map-status");

  function setStatus(text, failed) {
    if (status) {
      status.textContent = text;
      status.classList.toggle("text-danger", Boolean(failed));
    }
  }

  function csrfToken() {
    return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  }

  async function drawArea(map, url) {
    if (!url) {
      return false;
    }
    try {
      const response = await fetch(url, { headers: { Accept: "application/geo+json, application/json" } });
      if (!response.ok) {
        return false;
      }
      const area = L.geoJSON(await response.json(), {
        interactive: false,
        style: { color: "#0d6efd", weight: 2, fillOpacity: 0.04 },
      }).addTo(map);
      map.fitBounds(area.getBounds(), { padding: [8, 8] });
      return true;
    } catch {
      return false;
    }
  }

  function setupMap(root) {
    const data = root.dataset;
    const texts = JSON.parse(data.texts || "{}");
    const maxZoom = Number(data.maxZoom) || 20;
    const map = L.map(root, { maxZoom, zoomSnap: 0.5 });
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom, attribution: data.tileAttribution || "" }).addTo(map);
      root.classList.add("cg-map-tiles");
    }
    const points = JSON.parse(data.points || "[]");
    const mode = data.mode;
    window.CivicGridCases = { map, ready: false };

    if (mode === "pick") {
      setupPicking(map, texts, data.areaUrl);
      return;
    }
    const markers = points.map((p) => {
      const marker = L.circleMarker([p.lat, p.lon], {
        radius: mode === "point" ? 9 : 7,
        color: "#fff",
        weight: 2,
        fillColor: lightColours[p.light] || "#6c757d",
        fillOpacity: 0.95,
      }).addTo(map);
      marker.getElement()?.setAttribute("data-id", p.id);
      if (p.url) {
        const popup = document.createElement("div");
        const link = document.createElement("a");
        link.href = p.url;
        link.textContent = p.number;
        popup.append(link);
        if (p.category) {
          popup.append(document.createElement("br"), p.category);
        }
        if (p.light && texts.lights) {
          popup.append(" · ", texts.lights[p.light] || p.light);
        }
        marker.bindPopup(popup);
      }
      return marker;
    });
    if (markers.length > 0) {
      const bounds = L.featureGroup(markers).getBounds();
      if (markers.length === 1) {
        map.setView(bounds.getCenter(), mode === "point" ? 16 : 15);
      } else {
        map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
      }
      window.CivicGridCases.ready = true;
      return;
    }
    drawArea(map, data.areaUrl).then((drawn) => {
      if (!drawn) {
        map.setView(defaultCentre, 12);
      }
      window.CivicGridCases.ready = true;
    });
  }

  function setupPicking(map, texts, areaUrl) {
    const lon = document.getElementById("case-lon");
    const lat = document.getElementById("case-lat");
    let marker = null;

    function place(latitude, longitude, pan) {
      const at = [latitude, longitude];
      if (marker) {
        marker.setLatLng(at);
      } else {
        marker = L.circleMarker(at, { radius: 9, color: "#fff", weight: 2, fillColor: "#0d6efd", fillOpacity: 0.95 }).addTo(map);
      }
      if (pan) {
        map.setView(at, Math.max(map.getZoom() || 0, 17));
      }
    }

    function pick(latitude, longitude, pan) {
      lon.value = longitude.toFixed(6);
      lat.value = latitude.toFixed(6);
      place(latitude, longitude, pan);
      setStatus(texts.picked || "");
    }

    map.on("click", (event) => pick(event.latlng.lat, event.latlng.lng, false));
    const typed = () => {
      const x = Number(lon.value);
      const y = Number(lat.value);
      if (lon.value && lat.value && Number.isFinite(x) && Number.isFinite(y)) {
        place(y, x, true);
      }
    };
    lon.addEventListener("change", typed);
    lat.addEventListener("change", typed);

    const locate = document.getElementById("case-locate");
    if (locate && navigator.geolocation) {
      locate.classList.remove("d-none");
      locate.addEventListener("click", () => {
        setStatus(texts.locating || "");
        navigator.geolocation.getCurrentPosition(
          (position) => pick(position.coords.latitude, position.coords.longitude, true),
          () => setStatus(texts.locateFailed || "", true),
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }

    const hasPoint = lon.value && lat.value;
    drawArea(map, areaUrl).then((drawn) => {
      if (hasPoint) {
        typed();
      } else if (!drawn) {
        map.setView(defaultCentre, 12);
      }
      window.CivicGridCases.ready = true;
    });
  }

  function setupPhotos(input) {
    const field = document.getElementById("case-photos-field");
    const list = document.getElementById("case-photo-list");
    const note = document.getElementById("case-photo-status");
    const texts = JSON.parse(input.dataset.texts || "{}");
    const max = Number(input.dataset.max) || 9;
    field.classList.remove("d-none");

    input.addEventListener("change", async () => {
      const files = [...input.files];
      const have = list.querySelectorAll("input[name=PhotoIds]").length;
      if (have + files.length > max) {
        note.textContent = texts.tooMany || "";
        input.value = "";
        return;
      }
      for (const file of files) {
        note.textContent = texts.uploading || "";
        const body = new FormData();
        body.append("file", file);
        try {
          const response = await fetch(input.dataset.uploadUrl, {
            method: "POST",
            body,
            headers: { "X-CSRF-TOKEN": csrfToken(), Accept: "application/json" },
          });
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          const uploaded = await response.json();
          const hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = "PhotoIds";
          hidden.value = uploaded.id;
          const thumbnail = document.createElement("img");
          thumbnail.src = URL.createObjectURL(file);
          thumbnail.alt = file.name;
          thumbnail.className = "cg-photo-preview";
          list.append(hidden, thumbnail);
          note.textContent = "";
        } catch {
          // No file store (yet), or the link dropped: the case can still be reported without photos.
          note.textContent = texts.unavailable || "";
          break;
        }
      }
      input.value = "";
    });
  }

  if (window.L) {
    const root = document.getElementById("case-map");
    if (root) {
      setupMap(root);
    }
  }
  const photos = document.getElementById("case-photo-input");
  if (photos && window.fetch && window.FormData) {
    setupPhotos(photos);
  }
})();
