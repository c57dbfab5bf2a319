// node --experimental-websocket render/testdata/report/measure.mjs FILE.html
// Opens FILE in headless Chromium through the DevTools protocol (no
// network), waits until the page's data has loaded and the map is drawn,
// and prints: load time (navigation to data-ready, and the end of each
// start-up stage: data-timing), the time of sorting the zone table by each
// column, of filtering it, of opening a zone's panel and of switching the
// language, measured in the page with performance.now(). docs/report.md
// gives its results; it is not part of make test (no timed assertions).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const file = process.argv[2];
const port = 9333 + Math.floor(Math.random() * 500);
const chrome = spawn('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', `--remote-debugging-port=${port}`,
  '--user-data-dir=' + mkdtempSync(join(tmpdir(), 'cm-')), '--window-size=1300,1000', 'about:blank'], { stdio: 'ignore' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let ws;
for (let i = 0; i < 50; i++) {
  try {
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const page = list.find((p) => p.type === 'page');
    ws = new WebSocket(page.webSocketDebuggerUrl);
    await new Promise((r, j) => { ws.onopen = r; ws.onerror = j; });
    break;
  } catch (e) { await sleep(200); }
}
let id = 0; const pending = new Map();
ws.onmessage = (m) => { const d = JSON.parse(m.data); if (d.id && pending.has(d.id)) { pending.get(d.id)(d); pending.delete(d.id); } };
const send = (method, params = {}) => new Promise((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
const evaluate = async (expr) => (await send('Runtime.evaluate', { expression: expr, awaitPromise: true, returnByValue: true })).result.result.value;
await send('Page.enable');
await send('Runtime.enable');
const t0 = Date.now();
await send('Page.navigate', { url: 'file://' + file });
let ready = null;
for (let i = 0; i < 600 && !ready; i++) { await sleep(100); ready = await evaluate("document.body && document.body.getAttribute('data-ready')"); }
const wall = Date.now() - t0;
const timings = await evaluate(`(function () {
  var th = document.getElementById('zone-table').tHead.rows[0].cells, out = {};
  for (var k = 0; k < th.length; k++) { var t = performance.now(); th[k].click(); out['sort:' + th[k].textContent.trim()] = Math.round(performance.now() - t); }
  var f = document.getElementById('zone-filter');
  ['mont', 'saint-val', 'fibre', 'zzzz', ''].forEach(function (q) { var t = performance.now(); f.value = q; f.dispatchEvent(new Event('input')); out['filter:' + q] = Math.round(performance.now() - t); });
  var s = document.getElementById('zone-tech'); var t = performance.now(); s.value = '2'; s.dispatchEvent(new Event('change')); out['tech:2'] = Math.round(performance.now() - t);
  t = performance.now(); document.getElementById('zone-table').tBodies[0].rows[0].click(); out['panel'] = Math.round(performance.now() - t);
  t = performance.now(); document.getElementById('lang-toggle').click(); out['lang'] = Math.round(performance.now() - t);
  out.heapMB = Math.round(performance.memory ? performance.memory.usedJSHeapSize / 1048576 : -1);
  out.error = document.body.getAttribute('data-error') || '';
  return out; })()`);
const stages = await evaluate("document.body.getAttribute('data-timing')");
console.log(JSON.stringify({ file, readyMs: Number(ready), wallMs: wall, stages, ...timings }, null, 1));
ws.close(); chrome.kill();
process.exit(0);
