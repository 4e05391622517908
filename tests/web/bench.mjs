// Dashboard speed on loopback, in Debian's chromium against a real controller:
//   - bytes transferred on a first load (empty cache) of the Deployment view,
//   - time to interactive: navigation start until the model library is filled and the page marks itself ready,
//   - chart redraw time with 17,280 points per series (24 h of 5-second samples), one chart and the six of Monitoring.
// Run after a build:  EDGEML_BIN_DIR=build-web/bin node tests/web/bench.mjs
// (EDGEML_WEB_DIST and EDGEML_SHARED_DATA default to web/dist and ../shared/data.) Figures go to stdout.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, tempDir } from './support/processes.mjs';
import { launchBrowser } from './support/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.EDGEML_BIN_DIR ?? path.join(root, 'build/bin');
const WEB = process.env.EDGEML_WEB_DIST ?? path.join(root, 'web/dist');
const DATA = process.env.EDGEML_SHARED_DATA ?? path.join(root, '../shared/data');
const RUNS = 7;

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const max = (a) => Math.max(...a);

const controller = await startServer(path.join(BIN, 'edgeml-controller'),
  ['--host', '127.0.0.1', '--port', '0', '--data', DATA, '--state', tempDir('bench'), '--web', WEB]);
const browser = await launchBrowser();
try {
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let count = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; count++; });

  const loads = [];
  const tti = [];
  for (let i = 0; i < RUNS; i++) {
    bytes = 0; count = 0;
    await page.goto('about:blank');
    const t0 = Date.now();
    await page.goto(controller.url + '/#deployment');
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#library-table tbody tr');
    tti.push(Date.now() - t0);
    await page.waitForLoadState('networkidle');
    loads.push({ bytes, count });
  }
  process.stderr.write(`bench: ${RUNS} first loads done\n`);

  // Chart redraw: uPlot setData with 17,280 points, timed until the next animation frame has painted.
  const redraw = await page.evaluate(async () => {
    const { timeChart } = await import('./src/charts.js');
    const N = 17280;
    const now = Math.floor(Date.now() / 1000);
    const xs = Array.from({ length: N }, (_, i) => now - (N - i) * 5);
    // Benchmark input only (never shown to a user): a deterministic waveform so each run draws the same work.
    const series = (k) => xs.map((_, i) => 50 + 40 * Math.sin(i / (50 + k)) + 5 * Math.sin(i / 7));
    const host = document.createElement('div');
    host.style.width = '900px';
    document.body.prepend(host);
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const plots = [];
    for (let k = 0; k < 6; k++) { const box = document.createElement('div'); host.append(box); plots.push(await timeChart(box, { label: `s${k}` })); }
    const ys = plots.map((_, k) => series(k));
    const one = [];
    const six = [];
    for (let r = 0; r < 15; r++) {
      let t0 = performance.now();
      plots[0].setData([xs, ys[(r + 1) % 6]]);
      await frame();
      one.push(performance.now() - t0);
      t0 = performance.now();
      plots.forEach((p, k) => p.setData([xs, ys[(k + r) % 6]]));
      await frame();
      six.push(performance.now() - t0);
    }
    return { one, six };
  });

  const kb = (b) => (b / 1024).toFixed(1);
  console.log(`first load (empty cache): ${kb(median(loads.map((l) => l.bytes)))} KB transferred in ${loads[0].count} requests (max ${kb(max(loads.map((l) => l.bytes)))} KB)`);
  console.log(`time to interactive (library filled): median ${median(tti)} ms, max ${max(tti)} ms over ${RUNS} loads`);
  console.log(`redraw 1 chart x 17280 points: median ${median(redraw.one).toFixed(1)} ms, max ${max(redraw.one).toFixed(1)} ms`);
  console.log(`redraw 6 charts x 17280 points: median ${median(redraw.six).toFixed(1)} ms, max ${max(redraw.six).toFixed(1)} ms`);
} finally {
  await browser.close();
  await controller.stop();
}
