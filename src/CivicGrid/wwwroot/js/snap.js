// The resident's 随手拍 form (/r/{key}). Without this script the form posts as it is (multipart,
// the photo unshrunk, placed at the QR code's place). With it: the photo is shrunk to at most
// 1600 px JPEG (photo-shrink.js), the phone's GPS fix is added when allowed and drawn on the small
// "where" picture, and the form is posted with XMLHttpRequest for upload progress, asking for JSON;
// a retry after a network failure sends the same Idempotency-Key, so it never reports twice.
(() => {
  "use strict";
  const form = document.getElementById("snap-form");
  if (!form) return;
  const $ = id => document.getElementById(id);
  const photo = $("snap-photo");
  const preview = $("snap-preview");
  const status = $("snap-status");
  const progress = $("snap-progress");
  const submit = $("snap-submit");
  const maxBytes = Number(form.dataset.maxBytes) || 10 * 1024 * 1024;
  let shrunk = null;

  photo.addEventListener("change", async () => {
    shrunk = null;
    const file = photo.files && photo.files[0];
    if (!file) return;
    try {
      shrunk = window.CivicGridPhotos ? await window.CivicGridPhotos.shrink(file) : file;
    } catch {
      shrunk = file;
    }
    preview.src = URL.createObjectURL(shrunk);
    preview.hidden = false;
    const hint = $("snap-photo-hint");
    if (hint) hint.textContent = `${Math.round(shrunk.size / 1024)} KB`;
  });

  // The GPS fix, when the resident allows it; the QR code's place stands otherwise.
  if (navigator.geolocation) {
    navigator.geolocation.getCurrentPosition(position => {
      const { longitude, latitude } = position.coords;
      $("snap-lon").value = String(longitude);
      $("snap-lat").value = String(latitude);
      const text = $("snap-where-text");
      if (text) text.textContent = form.dataset.gps;
      const where = $("snap-where");
      const dot = $("snap-dot");
      if (where && dot && where.dataset.projection) {
        const [minX, maxY, kx, k, ox, oy] = where.dataset.projection.split(" ").map(Number);
        const x = ox + (longitude - minX) * kx * k;
        const y = oy + (maxY - latitude) * k;
        if (x >= 0 && x <= 320 && y >= 0 && y <= 160) {
          dot.setAttribute("cx", x.toFixed(1));
          dot.setAttribute("cy", y.toFixed(1));
        }
      }
    }, () => { /* refused or unavailable: the place's point is used */ }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  function showErrors(problem) {
    form.querySelectorAll(".ph-error[data-js]").forEach(e => e.remove());
    const errors = (problem && problem.errors) || {};
    let first = null;
    for (const [field, messages] of Object.entries(errors)) {
      const anchor = {
        photo: "snap-photo-hint", photoIds: "snap-photo-hint", categoryCode: "snap-more", description: "snap-description",
        phone: "snap-phone", location: "snap-where-text",
      }[field];
      const target = anchor && $(anchor);
      if (!target) continue;
      const p = document.createElement("p");
      p.className = "ph-error";
      p.dataset.js = "1";
      p.id = `error-${field}`;
      p.textContent = messages[0];
      target.insertAdjacentElement("afterend", p);
      first = first || p;
    }
    status.textContent = (problem && (problem.title || problem.detail)) || form.dataset.retry;
    (first || status).scrollIntoView({ block: "center" });
  }

  form.addEventListener("submit", event => {
    event.preventDefault();
    const body = new FormData(form);
    if (shrunk) {
      if (shrunk.size > maxBytes) {
        showErrors({ errors: { photo: [$("snap-photo-hint").textContent] } });
        return;
      }
      body.set("Photo", shrunk, "photo.jpg");
    }
    submit.disabled = true;
    progress.hidden = false;
    send(body, 0);
  });

  // A weak link drops uploads: a network failure or a busy server (502-504) is retried whole, with the
  // same Idempotency-Key (so never twice), after 2, 4, 8 and 16 s; then the resident may press again.
  const retryDelays = [2, 4, 8, 16];

  function send(body, attempt) {
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.onprogress = e => {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    };
    const done = () => {
      submit.disabled = false;
      progress.hidden = true;
    };
    const retry = () => {
      if (attempt >= retryDelays.length) {
        done();
        status.textContent = form.dataset.retry;
        return;
      }
      let left = retryDelays[attempt];
      const tick = () => {
        if (left <= 0) {
          send(body, attempt + 1);
          return;
        }
        status.textContent = `${form.dataset.retry} (${left}s)`;
        left -= 1;
        setTimeout(tick, 1000);
      };
      tick();
    };
    request.onload = () => {
      if (request.status >= 502 && request.status <= 504) {
        retry();
        return;
      }
      let json = null;
      try { json = JSON.parse(request.responseText); } catch { /* not JSON */ }
      if (request.status >= 200 && request.status < 300 && json && json.url) {
        window.location.assign(json.url);
        return;
      }
      done();
      showErrors(json);
    };
    request.onerror = request.ontimeout = retry;
    progress.value = 0;
    status.textContent = form.dataset.sending;
    request.send(body);
  }
})();
