// A very small IndexedDB wrapper for the workbench, usable in the page and in the service worker.
// Two object stores keyed by the entry's idempotency key: "queue" (what waits to be sent) and
// "conflicts" (what the server refused or found changed, kept until the worker dismisses it).
// Exposes self.CivicGridStore.
(() => {
  "use strict";

  const name = "civicgrid-workbench";
  const version = 1;
  let opened = null;

  function open() {
    opened ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(name, version);
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const store of ["queue", "conflicts"]) {
          if (!db.objectStoreNames.contains(store)) {
            db.createObjectStore(store, { keyPath: "key" });
          }
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab upgrading: let it, and reopen next time.
        db.onversionchange = () => { db.close(); opened = null; };
        resolve(db);
      };
      request.onerror = () => { opened = null; reject(request.error); };
    });
    return opened;
  }

  function done(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(store, mode, work) {
    const db = await open();
    const transaction = db.transaction(store, mode);
    const committed = new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
    const result = await done(work(transaction.objectStore(store)));
    await committed;
    return result;
  }

  self.CivicGridStore = {
    /** Every entry of a store, oldest first. */
    all: async store => (await run(store, "readonly", s => s.getAll())).sort((a, b) => a.createdAt - b.createdAt),
    get: (store, key) => run(store, "readonly", s => s.get(key)),
    put: (store, value) => run(store, "readwrite", s => s.put(value)),
    remove: (store, key) => run(store, "readwrite", s => s.delete(key)),
    count: store => run(store, "readonly", s => s.count()),
  };
})();
