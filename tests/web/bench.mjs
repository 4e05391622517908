// Dashboard speed on loopback, in Debian's chromium against a real controller serving the dashboard built into it:
//   - bytes transferred on a first load (empty cache) of the Deployment view,
//   - time to interactive: navigation start until the model library is filled and the page marks itself ready,
//   - Monitoring's redraw with 10 devices overlaid on its 6 history charts, 24 h of 5-second samples each
//     (17,280 points per device and series): the view's own code (HistoryCharts.draw: one x axis at two points per
//     pixel column, then uPlot), timed until the next frame has painted; and 6 single-series charts for comparison.
// Run after a build:  EDGEML_BIN_DIR=build/bin node tests/web/bench.mjs
// (EDGEML_SHARED_DATA defaults to ../shared/data.) Figures go to stdout.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, tempDir } from './support/processes.mjs';
import { launchBrowser } from './support/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.EDGEML_BIN_DIR ?? path.join(root, 'build/bin');
const DATA = process.env.EDGEML_SHARED_DATA ?? path.join(root, '../shared/data');
const RUNS = 7;

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const max = (a) => Math.max(...a);

const state = tempDir('bench');
const cache = path.join(BIN, '..', 'test-state', 'deploy-predictor-cache');
if (fs.existsSync(cache)) fs.cpSync(cache, path.join(state, 'predictors'), { recursive: true });
const controller = await startServer(path.join(BIN, 'edgeml-controller'),
  ['--host', '127.0.0.1', '--port', '0', '--data', DATA, '--state', state]);
const browser = await launchBrowser({ width: 1440, height: 900 });
try {
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.setBypassServiceWorker', { bypass: true });  // an empty cache: no offline copy either
  let bytes = 0;
  let count = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; count++; });

  const loads = [];
  const tti = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto('about:blank');
    bytes = 0; count = 0;
    const t0 = Date.now();
    await page.goto(controller.url + '/#deployment');
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#library-table tbody tr');
    tti.push(Date.now() - t0);
    await page.waitForLoadState('networkidle');
    loads.push({ bytes, count });
  }
  process.stderr.write(`bench: ${RUNS} first loads done\n`);

  // Drawn inside the Monitoring view, as a user sees it (the other views are hidden, so not laid out).
  await page.goto(controller.url + '/#monitoring');
  await page.waitForSelector('body[data-ready="true"]');
  const redraw = await page.evaluate(async () => {
    const { HistoryCharts, DeviceSeries } = await import('./src/views/monitoring/history.js');
    const { PALETTE } = await import('./src/devices.js');
    const N = 17280;
    const DEVICES = 10;
    const now = Math.floor(Date.now() / 1000);
    const host = document.createElement('div');
    host.className = 'charts';
    document.querySelector('#view-monitoring').prepend(host);
    const charts = new HistoryCharts(host);
    const devices = Array.from({ length: DEVICES }, (_, k) => ({ id: String(k), name: `device-${k}`, color: PALETTE[k] }));
    await charts.setDevices(devices);
    // Benchmark input only (never shown to a user): deterministic waveforms, each device sampled at its own phase.
    const series = new Map(devices.map((d, k) => {
      const s = new DeviceSeries();
      const samples = Array.from({ length: N }, (_, i) => {
        const v = 0.5 + 0.4 * Math.sin(i / (50 + k)) + 0.05 * Math.sin(i / 7);
        return { t: now - (N - i) * 5 + k * 0.37, cpu_usage_ratio: v, memory_used_ratio: v * 0.8, temperature_c: 40 + 20 * v,
          storage_used_ratio: 0.4, power_w: 3 + 4 * v, energy_per_inference_j: 0.01 * v };
      });
      s.append(samples);
      return [d.id, s];
    }));
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const all = [];
    for (let r = 0; r < 15; r++) {
      const t0 = performance.now();
      charts.draw(series, new Map(), now - 86400 + r, now + 1 + r);
      await frame();
      all.push(performance.now() - t0);
    }
    // For comparison: 6 plain charts of one series each, the whole 17,280 points given to uPlot.
    const { timeChart } = await import('./src/charts.js');
    const xs = Array.from({ length: N }, (_, i) => now - (N - i) * 5);
    const ys = xs.map((_, i) => 50 + 40 * Math.sin(i / 50));
    const plain = [];
    for (let k = 0; k < 6; k++) { const box = document.createElement('div'); host.append(box); plain.push(await timeChart(box, { series: [{ label: 's', color: '#1f6feb' }] })); }
    const six = [];
    for (let r = 0; r < 15; r++) {
      const t0 = performance.now();
      plain.forEach((c) => c.plot.setData([xs, ys]));
      await frame();
      six.push(performance.now() - t0);
    }
    return { all, six };
  });

  const kb = (b) => (b / 1024).toFixed(1);
  console.log(`first load (empty cache): ${kb(median(loads.map((l) => l.bytes)))} KB transferred in ${loads[0].count} requests (max ${kb(max(loads.map((l) => l.bytes)))} KB)`);
  console.log(`time to interactive (library filled): median ${median(tti)} ms, max ${max(tti)} ms over ${RUNS} loads`);
  console.log(`monitoring redraw, 10 devices x 6 series x 17280 points: median ${median(redraw.all).toFixed(1)} ms, max ${max(redraw.all).toFixed(1)} ms`);
  console.log(`redraw 6 single-series charts x 17280 points: median ${median(redraw.six).toFixed(1)} ms, max ${max(redraw.six).toFixed(1)} ms`);
} finally {
  await browser.close();
  await controller.stop();
}
