// /registry/import: preview (dry run), column mapping, import with polled progress, rejects link.
(() => {
  "use strict";
  const form = document.getElementById("ledger-form");
  if (!form) return;
  const $ = (id) => document.getElementById(id);
  const api = form.dataset.api;
  const progressBase = form.dataset.progress;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  let mapping = null;

  function message(text, kind) {
    const box = $("ledger-message");
    box.textContent = text;
    box.className = `alert alert-${kind}`;
  }

  function cell(tag, text, className) {
    const el = document.createElement(tag);
    el.textContent = text ?? "";
    if (className) el.className = className;
    return el;
  }

  function currentMapping() {
    const rows = $("ledger-mapping-rows").querySelectorAll("select");
    if (rows.length === 0) return null;
    const result = {};
    rows.forEach((select) => { if (select.value) result[select.dataset.header] = select.value; });
    return result;
  }

  function showMapping(headers) {
    const body = $("ledger-mapping-rows");
    body.replaceChildren();
    const options = $("ledger-field-options");
    for (const header of headers) {
      const tr = document.createElement("tr");
      tr.append(cell("td", header));
      const td = document.createElement("td");
      const select = document.createElement("select");
      select.className = "form-select form-select-sm";
      select.dataset.header = header;
      select.append(options.content.cloneNode(true));
      td.append(select);
      tr.append(td);
      body.append(tr);
    }
    $("ledger-mapping").classList.remove("d-none");
  }

  function showPreview(report) {
    const table = $("ledger-preview-table");
    const head = document.createElement("tr");
    head.append(cell("th", "行"));
    report.headers.forEach((h) => head.append(cell("th", h)));
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const row of report.preview) {
      const tr = document.createElement("tr");
      const bad = new Map(row.problems.map((p) => [p.column, p.reason]));
      tr.append(cell("td", row.row, bad.size ? "table-danger" : ""));
      report.headers.forEach((h, i) => {
        const td = cell("td", row.cells[i], bad.has(h) ? "table-danger" : "");
        if (bad.has(h)) td.title = bad.get(h);
        tr.append(td);
      });
      body.append(tr);
    }
    const list = $("ledger-errors");
    list.replaceChildren(...report.errors.slice(0, 200).map((e) => cell("li", `第 ${e.row} 行 [${e.column}]：${e.reason}`)));
    $("ledger-preview-section").classList.remove("d-none");
  }

  function counts(r) {
    return `新增 ${r.imported}，更新 ${r.updated}，未变 ${r.unchanged}，拒绝 ${r.rejected}`;
  }

  async function send(dryRun, importId) {
    const file = $("ledger-file").files[0];
    if (!file) { message("请选择台账文件", "warning"); return null; }
    const data = new FormData();
    data.append("file", file);
    mapping = currentMapping();
    if (mapping) data.append("mapping", JSON.stringify(mapping));
    if (importId) data.append("importId", importId);
    const params = new URLSearchParams();
    if (dryRun) params.set("dryRun", "true");
    if ($("ledger-sheet").value) params.set("sheet", $("ledger-sheet").value);
    const response = await fetch(`${api}?${params}`, { method: "POST", body: data, headers: { "X-CSRF-TOKEN": csrf }, credentials: "same-origin" });
    const body = await response.json();
    if (!response.ok) {
      const fileErrors = body.errors?.file ?? [body.detail ?? body.title];
      message(fileErrors.join("；"), "danger");
      if (body.code === "registry.import_columns" && body.errors?.headers) showMapping(body.errors.headers);
      return null;
    }
    return body;
  }

  $("ledger-preview").addEventListener("click", async () => {
    message("正在检查文件…", "info");
    const report = await send(true);
    if (!report) return;
    message(`共 ${report.rows} 行（${report.format}${report.encoding ? "，" + report.encoding : ""}）：将${counts(report)}`, report.rejected ? "warning" : "success");
    showPreview(report);
    $("ledger-commit").disabled = false;
  });

  $("ledger-commit").addEventListener("click", async () => {
    const id = crypto.randomUUID();
    $("ledger-commit").disabled = true;
    const bar = $("ledger-progress");
    bar.classList.remove("d-none");
    message("正在导入…", "info");
    const timer = setInterval(async () => {
      const response = await fetch(progressBase + id, { credentials: "same-origin" });
      if (!response.ok) return;
      const p = await response.json();
      bar.firstElementChild.textContent = `${p.processed} 行`;
      bar.firstElementChild.style.width = "100%";
      bar.firstElementChild.classList.add("progress-bar-striped", "progress-bar-animated");
    }, 1000);
    try {
      const report = await send(false, id);
      if (!report) return;
      message(`导入完成：${counts(report)}`, report.rejected ? "warning" : "success");
      $("ledger-counts").textContent = counts(report);
      $("ledger-result").classList.remove("d-none");
      const link = $("ledger-rejects");
      if (report.rejectsUrl) { link.href = report.rejectsUrl; link.classList.remove("d-none"); } else { link.classList.add("d-none"); }
      showPreview(report);
    } finally {
      clearInterval(timer);
      bar.firstElementChild.classList.remove("progress-bar-animated");
    }
  });
})();
