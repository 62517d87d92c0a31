// The report's only stylesheet and script, served from our own origin (CSP: 'self'; no CDN, no fonts).
export const APP_CSS = `
:root { --crit:#b71c1c; --warn:#e65100; --unk:#546e7a; --ok:#2e7d32; --ink:#1c2430; --muted:#5f6b7a;
  --line:#d6dbe2; --bg:#f4f6f9; --card:#fff; --traffic:#0d47a1; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", sans-serif;
  color:var(--ink); background:var(--bg); }
main { padding: 12px 24px 48px; max-width: 1500px; }
h1 { font-size: 24px; margin: 12px 0; display:flex; align-items:center; gap:12px; flex-wrap:wrap; }
h2 { font-size: 19px; margin: 28px 0 10px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 0 0 6px; display:flex; align-items:center; gap:8px; flex-wrap:wrap; }
h4 { font-size: 14px; margin: 10px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
a { color: #0b57d0; }
code, .id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; }
.id { color: var(--muted); word-break: break-all; }
.muted { color: var(--muted); }
.top { display:flex; align-items:center; gap:14px; padding:10px 24px; background:#18212e; color:#e8edf3; flex-wrap:wrap; }
.top .brand { color:#fff; font-weight:700; font-size:17px; text-decoration:none; }
.top .muted { color:#aab4c0; }
.top .spacer { flex:1; }
.top .control { color:#e8edf3; background:transparent; border:1px solid #4a5668; border-radius:6px; padding:4px 10px; font:inherit; cursor:pointer; text-decoration:none; }
.pill { display:inline-block; padding:2px 10px; border-radius:999px; color:#fff; font-weight:700; font-size:13px; white-space:nowrap; }
.pill.big { font-size:16px; padding:4px 14px; }
.s-critical.pill, .banner.s-critical { background:var(--crit); }
.s-warning.pill, .banner.s-warning { background:var(--warn); }
.s-unknown.pill, .banner.s-unknown { background:var(--unk); }
.s-ok.pill { background:var(--ok); }
.banner { color:#fff; padding:10px 24px; font-size:15px; }
.banner ul { margin:4px 0 0; }
main .banner { border-radius:8px; margin:12px 0; padding:12px 16px; font-size:17px; }
.counts .pill { margin-right:6px; }
.filters { display:flex; gap:14px; align-items:end; flex-wrap:wrap; margin: 8px 0; }
.filters label { display:flex; flex-direction:column; font-size:13px; color:var(--muted); }
.filters select, .filters button, .actions button { font:inherit; padding:5px 10px; border:1px solid var(--line); border-radius:6px; background:#fff; }
.filters button, .actions button { cursor:pointer; background:#0b57d0; color:#fff; border-color:#0b57d0; }
table.fleet { width:100%; border-collapse:collapse; background:var(--card); border-radius:8px; overflow:hidden; box-shadow:0 1px 2px rgba(0,0,0,.08); }
.fleet th { text-align:left; font-size:13px; color:var(--muted); background:#eaedf2; padding:8px 10px; }
/* Japanese headers break only between words (at the spaces the strings keep), never inside one:
   a table column widens to its header's longest word instead. */
html[lang="ja"] th { word-break:keep-all; overflow-wrap:normal; }
html[lang="ja"] dt, html[lang="ja"] h1, html[lang="ja"] h2, html[lang="ja"] h3, html[lang="ja"] h4 { word-break:keep-all; overflow-wrap:anywhere; }
.fleet td { padding:8px 10px; border-top:1px solid var(--line); vertical-align:top; }
.fleet td .id { white-space:nowrap; word-break:normal; }
.fleet tr.s-critical td:first-child { border-left:5px solid var(--crit); }
.fleet tr.s-warning td:first-child { border-left:5px solid var(--warn); }
.fleet tr.s-unknown td:first-child { border-left:5px solid var(--unk); }
.fleet tr.s-ok td:first-child { border-left:5px solid var(--ok); }
.fleet a { font-weight:600; }
.tcell.carries { background:#e8f0fe; }
.tcell .id { white-space:nowrap; word-break:normal; }
.dot { display:inline-block; width:11px; height:11px; border-radius:50%; vertical-align:middle; }
.dot.up { background:var(--ok); } .dot.down { background:var(--crit); }
.badge { display:inline-block; margin-top:3px; padding:1px 8px; white-space:nowrap; border-radius:4px; font-size:12px; font-weight:700; }
.badge.traffic { background:#e3ecfb; color:var(--traffic); border:1px solid #90b4ee; }
.tunnel .badge.traffic, .k-failover .badge.traffic { background:var(--traffic); color:#fff; }
.badge.failover { background:#fff3e0; color:var(--warn); border:1px solid var(--warn); }
.badge.down { background:#ffebee; color:var(--crit); border:1px solid var(--crit); }
.flist { margin:0; padding-left:0; list-style:none; }
.sev { display:inline-block; font-size:12px; font-weight:700; padding:0 6px; border-radius:4px; color:#fff; }
.sev-critical { background:var(--crit); } .sev-warning { background:var(--warn); } .sev-info { background:var(--unk); }
dl.meta { display:grid; grid-template-columns: max-content 1fr; gap:2px 16px; margin:6px 0; }
dl.meta dt { color:var(--muted); } dl.meta dd { margin:0; }
.actions { display:flex; gap:10px; align-items:center; margin:12px 0; }
.markdown { position:absolute; left:-9999px; width:1px; height:1px; }
.finding { background:var(--card); border-radius:8px; padding:12px 16px; margin:10px 0; border-left:6px solid var(--unk); box-shadow:0 1px 2px rgba(0,0,0,.08); }
.sev-border-critical { border-left-color:var(--crit); } .sev-border-warning { border-left-color:var(--warn); }
.finding p { margin:4px 0; }
ul.evidence { margin:0; padding-left:18px; } ul.evidence code { background:#f1f3f6; padding:1px 4px; border-radius:3px; white-space:pre-wrap; word-break:break-word; }
.tunnels { display:grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap:14px; }
.tunnel { background:var(--card); border-radius:8px; padding:12px 16px; border:2px solid var(--line); }
.tunnel.carries { border-color:var(--traffic); }
ol.ladder { list-style:none; padding:0; margin:0; }
.layer { padding:3px 8px; border-radius:4px; margin:2px 0; }
.layer .icon { display:inline-block; width:18px; font-weight:700; }
.l-ok .icon { color:var(--ok); } .l-fail { background:#ffebee; } .l-fail .icon { color:var(--crit); } .l-unknown .icon { color:var(--unk); }
.layer.first { outline:2px solid var(--crit); }
.layer .note { color:var(--muted); font-size:13px; }
.traffic { background:var(--card); border-radius:8px; padding:10px 16px; }
.spark { width:100%; height:90px; display:block; }
.key { display:inline-block; width:18px; height:3px; vertical-align:middle; margin-right:4px; }
.key.rx { background:#1565c0; } .key.tx { background:#8e24aa; }
ol.timeline { list-style:none; padding:0; margin:0; border-left:3px solid var(--line); }
.event { position:relative; margin:0 0 10px 0; padding:6px 12px 6px 16px; background:var(--card); border-radius:0 6px 6px 0; }
.event time { font-family: ui-monospace, Menlo, Consolas, monospace; font-size:13px; color:var(--muted); margin-right:8px; }
.event .ekind { font-weight:700; }
.event .fact { font-size:13px; color:var(--muted); margin-left:6px; }
.k-failover { border-left:6px solid var(--warn); background:#fff3e0; }
.k-failover .ekind { color:var(--warn); font-size:16px; }
.k-failback { border-left:6px solid var(--ok); background:#e8f5e9; }
.k-failback .ekind { color:var(--ok); font-size:16px; }
.k-tunnel_down .ekind, .k-connection_down .ekind, .k-finding_opened .ekind { color:var(--crit); }
.k-tunnel_up .ekind, .k-connection_up .ekind, .k-finding_resolved .ekind { color:var(--ok); }
.empty { color:var(--muted); font-style:italic; }
.empty.unknown { color:var(--unk); font-style:normal; font-weight:600; }
/* Last-known state of a region that cannot be read: muted, hollow dots, with its age. */
.lastknown, .tcell.lastknown .id { color:var(--muted); }
.tcell.lastknown, .tunnel.lastknown { background:repeating-linear-gradient(135deg, #f4f6f9 0 6px, #eceff3 6px 12px); }
.tunnel.lastknown { border-style:dashed; border-color:var(--unk); }
.dot.lastknown, .dot.up.lastknown, .dot.down.lastknown { background:transparent; border:2px solid var(--unk); }
.badge.traffic.lastknown, .tunnel .badge.traffic.lastknown { background:transparent; color:var(--muted); border:1px dashed var(--unk); }
.as-of { font-size:12px; color:var(--muted); font-style:italic; margin-top:3px; }
.banner.lastknown { background:#eceff1; color:var(--ink); border-left:6px solid var(--unk); }
.login { max-width:420px; margin:60px auto; background:var(--card); padding:24px; border-radius:8px; }
.login input { width:100%; font:inherit; padding:6px; margin:8px 0; }
@media print {
  body { background:#fff; font-size:12px; }
  .no-print, .actions, .top .control { display:none !important; }
  .top { background:#fff; color:#000; border-bottom:2px solid #000; }
  .top .brand, .top .muted { color:#000; }
  .pill, .sev, .badge, .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .finding, .tunnel, .event, table.fleet { box-shadow:none; break-inside: avoid; }
  main { padding:0; max-width:none; }
}
`;

export const APP_JS = `'use strict';
(function () {
  var REFRESH_MS = 30000;
  var box = document.getElementById('auto-refresh');
  if (box) {
    box.checked = localStorage.getItem('alivpn.autoRefresh') !== 'off';
    box.addEventListener('change', function () {
      localStorage.setItem('alivpn.autoRefresh', box.checked ? 'on' : 'off');
    });
    setInterval(function () {
      var selecting = String(window.getSelection && window.getSelection()) !== '';
      if (box.checked && !document.hidden && !selecting) location.reload();
    }, REFRESH_MS);
  }
  function say(text) {
    var out = document.querySelector('.action-result');
    if (out) out.textContent = text;
  }
  document.addEventListener('click', function (ev) {
    var el = ev.target instanceof Element ? ev.target.closest('[data-action]') : null;
    if (!el) return;
    var action = el.getAttribute('data-action');
    if (action === 'print') window.print();
    if (action === 'copy') {
      var src = document.getElementById(el.getAttribute('data-target'));
      var done = function () { say(el.getAttribute('data-copied')); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(src.value).then(done, function () { src.select(); document.execCommand('copy'); done(); });
      } else { src.select(); document.execCommand('copy'); done(); }
    }
    if (action === 'diagnose') {
      el.disabled = true;
      fetch(el.getAttribute('data-url'), { method: 'POST', credentials: 'same-origin' })
        // The page's own words, in its language (data-say-*), not the API's English message.
        .then(function (r) { if (r.ok) location.reload(); else say(el.getAttribute('data-say-' + r.status) || el.getAttribute('data-say-error') + ' (HTTP ' + r.status + ')'); })
        .catch(function () { say(el.getAttribute('data-say-network')); })
        .finally(function () { el.disabled = false; });
    }
  });
})();
`;
