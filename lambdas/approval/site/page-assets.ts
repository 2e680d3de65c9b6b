/**
 * The review page's stylesheet and script, as constants: they are sent inline with the response's
 * CSP nonce (no external files to host). The page works without the script: it only adds sorting,
 * filtering, the approved-items counter, "keep/reject shown" buttons and the hidden-rows prompt.
 * A ticked box rejects its item (the form posts the deselected ids); the script never changes
 * what is posted.
 */
export const PAGE_CSS = `
:root{color-scheme:light;--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--brand:#0b3b66;--accent:#0b57d0;--danger:#d93025}
*{box-sizing:border-box}
[hidden]{display:none !important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:#f3f4f6}
.top{background:var(--brand);color:#fff;padding:14px 24px;font-size:13px;letter-spacing:.3px}
main{max-width:1240px;margin:0 auto;padding:24px}
h1{font-size:24px;line-height:1.25;margin:0 0 4px}
.sub{color:var(--muted);margin:0 0 20px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(210px,1fr));gap:12px;margin:0 0 16px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.label{font-size:12px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted)}
.value{font-size:22px;font-weight:600;margin:2px 0}
.note{font-size:12px;color:var(--muted)}
.banner{border-left:4px solid;border-radius:6px;padding:12px 16px;margin:0 0 16px}
.banner strong{display:block;font-size:15px;margin-bottom:2px}
.danger{background:#fdecea;border-color:var(--danger);color:#8a1c14}
.info{background:#e8f0fe;border-color:#1a73e8;color:#174ea6}
.success{background:#e6f4ea;border-color:#1e8e3e;color:#0d652d}
.quiet{background:#fff;border-color:#9ca3af;color:#374151}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px}
.toolbar{display:flex;gap:8px;flex-wrap:wrap;align-items:center;padding:12px 16px;border-bottom:1px solid var(--line)}
.toolbar .spacer{flex:1}
.chip{border:1px solid var(--line);background:#fff;border-radius:999px;padding:4px 12px;cursor:pointer;font:inherit;color:inherit}
.chip[aria-pressed=true]{background:var(--brand);color:#fff;border-color:var(--brand)}
.toolbar input[type=search]{font:inherit;padding:5px 10px;border:1px solid var(--line);border-radius:6px;width:220px}
.link{background:none;border:0;color:var(--accent);cursor:pointer;font:inherit;padding:4px}
.scroll{overflow:auto;max-height:70vh}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{position:sticky;top:0;background:#f9fafb;font-size:12px;color:#374151;z-index:1;white-space:nowrap}
th .sort{background:none;border:0;padding:0;font:inherit;color:inherit;cursor:pointer;font-weight:600}
th .sort::after{content:" \\2195";color:#9ca3af}
th[aria-sort=ascending] .sort::after{content:" \\2191";color:inherit}
th[aria-sort=descending] .sort::after{content:" \\2193";color:inherit}
td.pick{width:36px}
td.pick input{width:18px;height:18px}
tr.off td:not(.pick){opacity:.45}
tr.off .name{text-decoration:line-through}
.name{font-weight:600}
.person{min-width:230px}
.mail{display:block;color:#374151}
.id{display:block;font-size:11px;color:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace}
.badge{display:inline-block;border-radius:4px;padding:1px 7px;font-size:12px;font-weight:600;white-space:nowrap}
.b-DEACTIVATE{background:#fdecea;color:#8a1c14}
.b-MOVE_TO_NONBILLABLE{background:#fff4e5;color:#8a4b00}
.b-MOVE_TO_BILLABLE{background:#e6f4ea;color:#0d652d}
.b-auto{background:#e8f0fe;color:#174ea6}
.products{font-size:12px;white-space:nowrap}
.products .never{color:var(--muted)}
.why{min-width:320px}
.code{font-size:11px;color:var(--muted)}
.decide{position:sticky;bottom:0;background:#fff;border-top:2px solid var(--line);padding:14px 16px;display:flex;gap:12px;align-items:center;flex-wrap:wrap;border-radius:0 0 8px 8px}
.decide .hint{color:var(--muted);font-size:13px;flex:1;min-width:220px}
.approve{background:var(--accent);color:#fff;border:0;border-radius:6px;padding:10px 18px;font:inherit;font-weight:600;font-size:15px;cursor:pointer}
.reject{background:#fff;color:var(--danger);border:1px solid var(--danger);border-radius:6px;padding:9px 16px;font:inherit;font-weight:600;cursor:pointer}
.override{display:flex;gap:8px;align-items:flex-start;background:#fdecea;border:1px solid var(--danger);border-radius:6px;padding:8px 12px;color:#8a1c14;width:100%}
.override input{margin-top:3px;width:18px;height:18px}
.message{max-width:640px;margin:48px auto;background:#fff;border:1px solid var(--line);border-radius:8px;padding:28px 32px}
.message p{margin:8px 0 0}
`;

export const REVIEW_SCRIPT = `
(function () {
  var table = document.getElementById('items');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var count = document.getElementById('approve-count');
  var noun = document.getElementById('approve-noun');
  var shown = document.getElementById('shown');
  function box(r) { return r.querySelector('input[name=drop]'); }
  function update() {
    var n = 0;
    rows.forEach(function (r) { var b = box(r); if (b) { if (!b.checked) n++; r.classList.toggle('off', b.checked); } });
    count.textContent = String(n);
    noun.textContent = n === 1 ? 'item' : 'items';
  }
  body.addEventListener('change', update);
  Array.prototype.forEach.call(table.querySelectorAll('th[data-col]'), function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var col = Number(th.getAttribute('data-col'));
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.querySelectorAll('th[data-col]'), function (o) { o.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      function key(r) { var c = r.cells[col]; return c.getAttribute('data-sort') || c.textContent || ''; }
      rows.sort(function (a, b) { return key(a).localeCompare(key(b), undefined, { numeric: true }) * (asc ? 1 : -1); });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var filters = document.getElementById('filters');
  var action = 'ALL', text = '';
  function apply() {
    var visible = 0;
    rows.forEach(function (r) {
      var ok = (action === 'ALL' || r.getAttribute('data-action') === action) && (!text || r.getAttribute('data-search').indexOf(text) >= 0);
      r.hidden = !ok; if (ok) visible++;
    });
    shown.textContent = String(visible);
  }
  Array.prototype.forEach.call(filters.querySelectorAll('button[data-filter]'), function (b) {
    b.addEventListener('click', function () {
      action = b.getAttribute('data-filter');
      Array.prototype.forEach.call(filters.querySelectorAll('button[data-filter]'), function (o) { o.setAttribute('aria-pressed', String(o === b)); });
      apply();
    });
  });
  document.getElementById('search').addEventListener('input', function (e) { text = e.target.value.trim().toLowerCase(); apply(); });
  function setVisible(keep) { rows.forEach(function (r) { var b = box(r); if (b && !r.hidden) b.checked = !keep; }); update(); }
  document.getElementById('select-visible').addEventListener('click', function () { setVisible(true); });
  document.getElementById('clear-visible').addEventListener('click', function () { setVisible(false); });
  // An approval must not cover rows the approver cannot see without saying so.
  document.getElementById('decision').addEventListener('submit', function (e) {
    if (!e.submitter || e.submitter.value !== 'approve') return;
    var hidden = 0, kept = 0;
    rows.forEach(function (r) { var b = box(r); if (b && !b.checked) { kept++; if (r.hidden) hidden++; } });
    if (hidden === 0) return;
    var ask = hidden + ' of the ' + kept + ' items to approve are hidden by the filter. Approve all ' + kept + '?';
    if (!window.confirm(ask)) e.preventDefault();
  });
  filters.hidden = false;
  update();
})();
`;
