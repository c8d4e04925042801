// The workbench's outbox, shared by the page and the service worker (Background Sync).
// Every entry carries a client-made idempotency key (crypto.randomUUID) and is sent at most once
// in effect: the server answers a repeated key with the first result. Photos go first through
// POST /api/v1/files; each returned file id is written back into the entry, so a retry never
// uploads a photo that already arrived. Outcomes: sent (removed), conflict or refused (moved to
// "conflicts" with the server's answer), signed out (everything kept, sign-in asked), or a network
// or server failure (kept; retried whole with backoff). Exposes self.CivicGridQueue.
(() => {
  "use strict";

  const store = self.CivicGridStore;
  const json = { Accept: "application/json" };
  const minDelay = 5_000;
  const maxDelay = 5 * 60_000;

  /** Why a flush stopped early. */
  class Stop extends Error {
    constructor(reason) { super(reason); this.reason = reason; }
  }

  function newKey() {
    return self.crypto.randomUUID();
  }

  async function add(entry) {
    const full = { key: newKey(), createdAt: Date.now(), attempts: 0, nextAt: 0, ...entry };
    await store.put("queue", full);
    return full;
  }

  async function problemOf(response) {
    try {
      return await response.json();
    } catch {
      return { status: response.status, title: response.statusText };
    }
  }

  async function post(url, body, session, headers = {}) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { ...json, "X-CSRF-TOKEN": session.csrfToken, ...(body instanceof FormData ? {} : { "Content-Type": "application/json" }), ...headers },
        body: body instanceof FormData ? body : JSON.stringify(body ?? {}),
      });
    } catch {
      throw new Stop("offline");
    }
    if (response.status === 401) {
      throw new Stop("signIn");
    }
    return response;
  }

  /** What a finished response means for the entry. */
  async function outcome(response) {
    if (response.ok) {
      return { kind: "sent", result: await problemOf(response) };
    }
    const problem = await problemOf(response);
    if (response.status === 409) {
      return { kind: "conflict", problem };
    }
    if (response.status === 429 || response.status >= 500 || problem.code === "auth.antiforgery") {
      return { kind: "retry", problem };
    }
    return { kind: "refused", problem };
  }

  async function uploadPhotos(entry, session) {
    for (const photo of entry.photos ?? []) {
      if (photo.fileId) {
        continue;
      }
      const form = new FormData();
      form.append("file", photo.blob, photo.name || "photo.jpg");
      const response = await post("/api/v1/files", form, session);
      const result = await outcome(response);
      if (result.kind !== "sent") {
        return result;
      }
      photo.fileId = result.result.id;
      // Written back at once: a retry reuses this file instead of uploading it again.
      await store.put("queue", entry);
    }
    return null;
  }

  async function send(entry, session) {
    switch (entry.kind) {
      case "case": {
        const failed = await uploadPhotos(entry, session);
        if (failed) {
          return failed;
        }
        const body = { ...entry.body, photoIds: (entry.photos ?? []).map(p => p.fileId) };
        return outcome(await post("/api/v1/cases", body, session, { "Idempotency-Key": entry.key }));
      }
      case "visit":
        return outcome(await post("/api/v1/visits", entry.body, session, { "Idempotency-Key": entry.key }));
      case "step": {
        const result = await outcome(await post(`/api/v1/workbench/cases/${entry.caseId}/${entry.action}`, entry.body, session,
          { "If-Match": entry.version }));
        // A retry of a step whose answer was lost finds the case moved by this very step: done, not a conflict.
        const last = result.problem?.current?.timeline?.at(-1);
        if (result.kind === "conflict" && last && last.action === entry.action && last.actor === session.userName
          && new Date(last.at).getTime() >= entry.createdAt - 60_000 && (last.note ?? "") === (entry.body?.note ?? entry.body?.reason ?? "")) {
          return { kind: "sent", result: result.problem.current };
        }
        return result;
      }
      case "house":
        return outcome(await post(`/api/v1/workbench/houses/${entry.houseId}/use`, entry.body, session, { "If-Match": entry.version }));
      case "read":
        return outcome(await post(`/api/v1/notifications/${entry.noticeId}/read`, null, session));
      default:
        return { kind: "refused", problem: { title: `unknown kind ${entry.kind}` } };
    }
  }

  async function session() {
    let response;
    try {
      response = await fetch("/api/v1/workbench/session", { credentials: "same-origin", cache: "no-store", headers: json });
    } catch {
      throw new Stop("offline");
    }
    if (response.status === 401) {
      throw new Stop("signIn");
    }
    if (!response.ok) {
      throw new Stop("offline");
    }
    return response.json();
  }

  async function flushNow(force) {
    const report = { sent: 0, conflicts: 0, stopped: null };
    const now = Date.now();
    const due = (await store.all("queue")).filter(e => force || (e.nextAt ?? 0) <= now);
    if (due.length === 0) {
      return report;
    }
    try {
      const who = await session();
      for (const entry of due) {
        // An entry made by another user waits for him.
        if (entry.user && entry.user !== who.userName) {
          continue;
        }
        const result = await send(entry, who);
        if (result.kind === "sent") {
          await store.remove("queue", entry.key);
          report.sent++;
        } else if (result.kind === "conflict" || result.kind === "refused") {
          await store.put("conflicts", { ...entry, photos: (entry.photos ?? []).map(p => ({ fileId: p.fileId, name: p.name })),
            outcome: result.kind, problem: result.problem, at: Date.now() });
          await store.remove("queue", entry.key);
          report.conflicts++;
        } else {
          entry.attempts = (entry.attempts ?? 0) + 1;
          entry.nextAt = Date.now() + Math.min(maxDelay, minDelay * 2 ** (entry.attempts - 1));
          entry.lastProblem = result.problem;
          await store.put("queue", entry);
        }
      }
    } catch (e) {
      if (!(e instanceof Stop)) {
        throw e;
      }
      report.stopped = e.reason;
      if (e.reason === "offline") {
        // The whole entry is tried again later; photos already uploaded keep their ids.
        for (const entry of due) {
          const kept = await store.get("queue", entry.key);
          if (kept) {
            kept.attempts = (kept.attempts ?? 0) + 1;
            kept.nextAt = Date.now() + Math.min(maxDelay, minDelay * 2 ** (kept.attempts - 1));
            await store.put("queue", kept);
          }
        }
      }
    }
    return report;
  }

  let running = null;

  /** Sends what is due (everything with force), one flush at a time across the page and the worker. */
  function flush(force = false) {
    if (self.navigator.locks) {
      return self.navigator.locks.request("civicgrid-workbench-flush", () => flushNow(force));
    }
    running ??= flushNow(force).finally(() => { running = null; });
    return running;
  }

  self.CivicGridQueue = {
    add,
    flush,
    pending: () => store.all("queue"),
    conflicts: () => store.all("conflicts"),
    dismiss: key => store.remove("conflicts", key),
    newKey,
  };
})();
