// The dashboard in a real browser (Debian's chromium) against a real controller and a real agent on loopback,
// serving the vendored web/dist. The controller polls the agent every second (--poll-interval 1) so the device turns
// online and the monitoring charts gain points within seconds, as a user would see them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { env, startServer, tempDir } from './support/processes.mjs';
import { launchBrowser } from './support/browser.mjs';

const BIN = env('EDGEML_BIN_DIR');
const WEB = env('EDGEML_WEB_DIST');
const DATA = env('EDGEML_SHARED_DATA');
const ARTIFACTS = env('EDGEML_ARTIFACTS_DIR');

let controller, agent, browser, page, base, deviceId;
const requests = [];
const pageErrors = [];
const dialogs = [];

async function api(p, init) {
  const res = await fetch(base + p, init);
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function shot(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function openView(view) {
  await page.click(`#tabs button[data-view="${view}"]`);
  await page.waitForSelector(`#view-${view}:not([hidden])`);
}

async function libraryRows() {
  return page.$$eval('#library-table tbody tr', (trs) => trs.map((tr) => {
    const td = [...tr.querySelectorAll('td')].map((c) => c.textContent);
    return { model: td[0], energy: Number(td[1]) };
  }));
}

before(async () => {
  assert.ok(fs.existsSync(path.join(WEB, 'index.html')), `${WEB}/index.html missing: run scripts/vendor-web.sh`);
  controller = await startServer(path.join(BIN, 'edgeml-controller'),
    ['--host', '127.0.0.1', '--port', '0', '--data', DATA, '--state', tempDir('controller'), '--web', WEB,
      '--poll-interval', '1']);
  base = controller.url;
  agent = await startServer(path.join(BIN, 'edgeml-agent'),
    ['--host', '127.0.0.1', '--port', '0', '--state', tempDir('agent'), '--infer-hz', '2']);
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? await browser.context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });  // the over-budget question: "deploy anyway"
});

after(async () => {
  await browser?.close();
  await agent?.stop();
  await controller?.stop();
});

describe('dashboard', () => {
  test('the page loads from the controller alone, with the model library filled', async () => {
    await page.goto(base + '/');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
    await page.waitForSelector('#library-table tbody tr');
    const rows = await libraryRows();
    const all = await api('/api/models/all?device_type=jetson_nano&sort=model&limit=500');
    assert.equal(rows.length, all.body.count);
    assert.deepEqual(rows.map((r) => r.model), all.body.models.map((m) => m.model));
    // No CDN, no other host: every request went to the controller.
    const foreign = requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(pageErrors, []);
    await shot('deployment');
  });

  test('"recommended" lists at most 10 rows, lowest energy first, exactly the controller\'s answer', async () => {
    await page.check('input[name="lib-mode"][value="recommended"]');
    await page.waitForFunction(() => document.querySelector('#lib-msg')?.textContent.includes('recommended'));
    const rows = await libraryRows();
    assert.ok(rows.length > 0 && rows.length <= 10, `got ${rows.length} rows`);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].energy <= rows[i].energy, `row ${i} out of order`);
    const budget = await page.inputValue('#budget');
    const rec = await api(`/api/models/recommended?device_type=jetson_nano&max_energy=${budget}`);
    assert.deepEqual(rows.map((r) => r.model), rec.body.models.map((m) => m.model));
  });

  test('selecting a row fills the preview with that row\'s figures', async () => {
    const rec = await api(`/api/models/recommended?device_type=jetson_nano&max_energy=${await page.inputValue('#budget')}`);
    const second = rec.body.models[1];
    await page.click(`#library-table tbody tr[data-model="${second.model}"]`);
    await page.waitForSelector(`#library-table tbody tr.selected[data-model="${second.model}"]`);
    assert.match(await page.textContent('#preview-name'), new RegExp(`^${second.model}`));
    const figures = await page.textContent('#preview-figures');
    assert.ok(figures.includes(`${Number(second.energy_mwh.toPrecision(3))} mWh`), figures);
    assert.ok(figures.includes(`${Number(second.size_mb.toPrecision(3))} MB`), figures);
    await shot('deployment-selected');
  });

  test('an endpoint the controller lacks, or refuses, is said plainly in the panel', async () => {
    await page.fill('#balena-slug', 'my-fleet');
    await page.click('#balena-form button[type="submit"]');
    await page.waitForSelector('#balena-msg:not([hidden])');
    await page.waitForFunction(() => !document.querySelector('#balena-msg').textContent.includes('…'));
    const text = await page.textContent('#balena-msg');
    const res = await fetch(base + '/api/balena/devices?app_slug=my-fleet&online_only=true');
    const body = await res.json();
    assert.equal(res.status, 503, 'the test controller has no BALENA_API_TOKEN');
    assert.ok(text.includes('HTTP 503') && text.includes(body.error), `message "${text}" should say HTTP 503 and "${body.error}"`);
    assert.equal(await page.getAttribute('#balena-msg', 'class'), 'msg msg-error');
  });

  test('switching language changes the labels and is remembered after a reload', async () => {
    assert.equal(await page.textContent('#tabs button[data-view="deployment"]'), 'Deployment');
    await page.selectOption('#lang', 'vi');
    assert.equal(await page.textContent('#tabs button[data-view="deployment"]'), 'Triển khai');
    assert.equal(await page.textContent('#panel-library h2'), 'Thư viện mô hình');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.textContent('#tabs button[data-view="deployment"]'), 'Triển khai');
    assert.equal(await page.inputValue('#lang'), 'vi');
    await shot('deployment-vi');
    await page.selectOption('#lang', 'en');
    assert.equal(await page.textContent('#tabs button[data-view="monitoring"]'), 'Monitoring');
  });

  test('the data-quality report shows rows per flag with examples (power_implausible: 72)', async () => {
    await openView('analytics');
    await page.waitForSelector('#quality-table tr[data-flag="power_implausible"]');
    const n = await page.textContent('#quality-table tr[data-flag="power_implausible"] .flag-rows');
    assert.equal(n, '72');
    const report = await api('/api/catalog/report');
    const shown = await page.$$eval('#quality-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.flag, Number(tr.querySelector('.flag-rows').textContent)]));
    assert.deepEqual(Object.fromEntries(shown), Object.fromEntries(Object.entries(report.body.flags).map(([f, v]) => [f, v.rows])));
    const examples = await page.textContent('#quality-table tr[data-flag="power_implausible"] .examples');
    assert.ok(examples.length > 20, 'examples listed');
    // The scatter holds every jetson row with energy and latency; the front is non-empty.
    const points = Number(await page.getAttribute('#an-scatter', 'data-points'));
    assert.ok(points > 100, `scatter has ${points} points`);
    assert.ok((await page.getAttribute('#an-scatter', 'data-front')).length > 0);
    await shot('analytics');
  });

  test('predicting with "use selected" shows the prediction, its interval and the predictor', async () => {
    await openView('deployment');
    await page.waitForSelector('#library-table tbody tr');  // the reload above cleared the selection: pick again
    await page.click('#library-table tbody tr:first-child');
    await page.click('#pred-use-selected');
    const body = { device_type: await page.inputValue('#pred-device') };
    for (const f of ['params_m', 'gflops', 'gmacs', 'size_mb', 'latency_avg_s', 'throughput_iter_per_s']) {
      const v = await page.inputValue(`#predict-form [name="${f}"]`);
      assert.notEqual(v, '', `${f} filled from the selected row`);
      body[f] = Number(v);
    }
    await page.click('#predict-form button[type="submit"]');
    await page.waitForSelector('#pred-result .pred-figures');
    const shown = await page.textContent('#pred-result');
    const res = await api('/api/predict-energy', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    assert.ok(shown.includes(`${Number(res.body.prediction_mwh.toPrecision(3))} mWh`), shown);
    assert.ok(shown.includes('measured'), shown);
    const [lo, hi] = res.body.confidence_interval;
    assert.ok(shown.includes(`${Number(lo.toPrecision(3))} – ${Number(hi.toPrecision(3))} mWh`), shown);
    assert.ok(shown.includes(`${Math.round(res.body.coverage * 100)}%`), shown);
    assert.ok(shown.includes(`MAPE ${Number(res.body.cv_mape.toPrecision(3))}%`), shown);
    await shot('deployment-predicted');
  });

  test('deploying ends in success in the log and the agent\'s /status shows the model', async () => {
    const address = agent.url.replace('http://', '');
    const reg = await api('/api/devices', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'web-test-agent', address, device_type: 'jetson_nano', token: '' }) });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    deviceId = String(reg.body.device.id);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await openView('deployment');
    // What a user waits for: the device in the list, online once the controller has polled its agent.
    const option = `#device-picker option[value="${deviceId}"]`;
    await page.waitForSelector(option, { state: 'attached' });
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('(online)'), option, { timeout: 20000 });
    await page.selectOption('#device-picker', deviceId);
    assert.equal(await page.inputValue('#device-address'), address);
    await page.check('input[name="lib-mode"][value="recommended"]');
    await page.waitForFunction(() => document.querySelector('#lib-msg')?.textContent.includes('recommended'));
    const model = (await libraryRows())[0].model;
    await page.click(`#library-table tbody tr[data-model="${model}"]`);
    await page.click('#deploy-button');
    await page.waitForSelector('#deploy-msg.msg-ok, #deploy-msg.msg-error', { timeout: 60000 });
    assert.equal(await page.getAttribute('#deploy-msg', 'class'), 'msg msg-ok', await page.textContent('#deploy-msg'));
    // The steps came from the deployment's events, each as the controller recorded it.
    const shown = await page.$$eval('#deploy-steps li', (lis) => lis.map((li) => [li.dataset.step, li.dataset.status]));
    const logs = await api('/api/logs?limit=1');
    const record = logs.body.logs[0];
    assert.equal(record.model, model);
    assert.equal(record.status, 'succeeded');
    assert.deepEqual(shown, record.steps.map((s) => [s.name, s.status]));
    await page.waitForSelector(`#log-entries tr[data-id="${record.deployment_id}"][data-status="succeeded"]`);
    assert.ok((await page.textContent(`#log-entries tr[data-id="${record.deployment_id}"]`)).includes(model));
    const status = await (await fetch(agent.url + '/status')).json();
    assert.equal(status.active_model?.name, model);
    await shot('deployment-deployed');
  });

  test('over budget: both figures are shown and, once confirmed, the model is deployed with force', async () => {
    const rows = await libraryRows();
    const { model, energy } = rows[0];  // the one just deployed: the model zoo of this machine has its artifact
    await page.click(`#library-table tbody tr[data-model="${model}"]`);
    await page.fill('#budget', String(Math.floor(energy / 2)));
    dialogs.length = 0;
    await page.click('#deploy-button');
    await page.waitForSelector('#deploy-msg.msg-ok, #deploy-msg.msg-error', { timeout: 60000 });
    assert.equal(await page.getAttribute('#deploy-msg', 'class'), 'msg msg-ok', await page.textContent('#deploy-msg'));
    const logs = (await api('/api/logs?limit=2')).body.logs;
    assert.deepEqual(logs.map((l) => [l.model, l.status, l.force]), [[model, 'succeeded', true], [model, 'rejected', false]]);
    assert.equal(dialogs.length, 1);
    const figures = [logs[1].energy_mwh, logs[1].max_energy].map((v) => `${Number(v.toPrecision(3))} mWh`);
    for (const f of figures) assert.ok(dialogs[0].includes(f), `"${dialogs[0]}" should name ${f}`);
    assert.equal((await (await fetch(agent.url + '/status')).json()).active_model?.name, model);
    await page.fill('#budget', '100');
  });

  test('analysing an .onnx file shows its parameters, FLOPs, MACs and predicted energy', async () => {
    // The file the deploy above put in the controller's artifact store: a real graph.
    const model = (await (await fetch(agent.url + '/status')).json()).active_model.name;
    const file = path.join(tempDir('onnx'), `${model}.onnx`);
    fs.writeFileSync(file, Buffer.from(await (await fetch(`${base}/models/${model}.onnx`)).arrayBuffer()));
    await page.setInputFiles('#analyze-file', file);
    await page.click('#analyze-form button[type="submit"]');
    await page.waitForSelector('#analyze-result .analyze-figures', { timeout: 30000 });
    const shown = await page.textContent('#analyze-result');
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
    form.append('device_type', await page.inputValue('#pred-device'));
    const res = await api('/api/models/analyze', { method: 'POST', body: form });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const p3 = (v) => String(Number(v.toPrecision(3)));
    for (const v of [res.body.params / 1e6, res.body.gflops, res.body.gmacs]) assert.ok(shown.includes(p3(v)), `${p3(v)} in "${shown}"`);
    const e = res.body.predicted_energy;
    assert.ok(shown.includes(e.energy_mwh === null ? e.reason : p3(e.energy_mwh)), shown);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await shot('deployment-analyzed');
  });

  test('monitoring charts gain new points', async () => {
    await openView('monitoring');
    await page.waitForSelector(`#mon-device option[value="${deviceId}"]`, { state: 'attached' });
    await page.selectOption('#mon-device', deviceId);
    const points = () => page.$eval('.chart-panel[data-metric="cpu"]', (p) => Number(p.dataset.points));
    await page.waitForFunction(() => Number(document.querySelector('.chart-panel[data-metric="cpu"]').dataset.points) > 2, null, { timeout: 20000 });
    const first = await points();
    // New points arrive from the telemetry stream while nobody touches the page.
    await page.waitForFunction((n) => Number(document.querySelector('.chart-panel[data-metric="cpu"]').dataset.points) > n + 1, first, { timeout: 20000 });
    const stored = (await api(`/api/devices/${deviceId}/telemetry?since=${Date.now() / 1000 - 300}`)).body.samples;
    const shown = await points();
    assert.ok(shown <= stored.length + 1 && shown >= stored.length - 2, `${shown} points shown, ${stored.length} stored`);
    assert.ok((await page.textContent('#mon-status')).includes('online'));
    await shot('monitoring-live');
  });

  test('the monitoring view says plainly what it cannot show', async () => {
    const stored = (await api(`/api/devices/${deviceId}/telemetry?since=${Date.now() / 1000 - 300}`)).body.samples;
    const note = (metric) => page.textContent(`.chart-panel[data-metric="${metric}"] .msg`);
    if (stored.every((s) => s.power_w === null)) assert.match(await note('power'), /^No power sensor on this device/);
    else assert.ok(Number(await page.getAttribute('.chart-panel[data-metric="power"]', 'data-points')) > 0);
    if (stored.every((s) => s.temperature_c === null)) assert.match(await note('temp'), /^Unavailable on this device/);
    // Storage is stored with every sample: its chart has points. The agent runs its inference loop (started with
    // --infer-hz), so rate and latency are shown as numbers.
    assert.ok(Number(await page.getAttribute('.chart-panel[data-metric="storage"]', 'data-points')) > 0);
    const status = await page.textContent('#mon-status');
    assert.match(status, /\d \/s/, status);
    assert.match(status, /ms \(p50\)/, status);
    // Measured against predicted: the active model's row, the measurement or why there is none.
    await page.waitForSelector('#cmp-entries');
    const row = await page.textContent(`#cmp-entries tr[data-device="${deviceId}"]`);
    const cmp = (await api('/api/energy/compare')).body.devices.find((d) => String(d.device_id) === deviceId);
    assert.ok(row.includes(cmp.model), row);
    assert.ok(row.includes(cmp.measured_per_inference_mj === null ? cmp.measured_unavailable : `${Number(cmp.measured_per_inference_mj.toPrecision(3))} mJ`), row);
    assert.deepEqual(pageErrors, []);
  });
});
