// The dashboard in a real browser (Debian's chromium) against the real edgeml-controller serving the dashboard built
// into it (no --web) and three real agents on fixture trees: a Jetson Orin (JetPack 5: INA3221 rails, GPU, EMC, fan,
// nvpmodel; CPU load from this machine's /proc so it moves), a Jetson Nano (L4T 32) and a Raspberry Pi 5 (PMIC rails
// through the vcgencmd stand-in, throttled flags). The controller polls every 3 s; the live view reads the agents
// once a second through it. One browser and one controller for every check; screenshots of each view at 1440x900 and
// 390x844 land in build/test-artifacts/web.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { env, startServer, tempDir } from './support/processes.mjs';
import { launchBrowser } from './support/browser.mjs';
import { lowContrast, overflow, unlabelled } from './support/audit.mjs';

const BIN = env('EDGEML_BIN_DIR');
const WEB = env('EDGEML_WEB_DIST');
const DATA = env('EDGEML_SHARED_DATA');
const ARTIFACTS = env('EDGEML_ARTIFACTS_DIR');
const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures');
const POLL_S = 3;

let controller, orin, nano, pi, browser, page, base;
const ids = {};  // device name -> id
const requests = [];
const pageErrors = [];
const dialogs = [];

async function api(p, init) {
  const res = await fetch(base + p, init);
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, body, headers: res.headers };
}
const json = (method, body) => ({ method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const p3 = (v) => new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(v);

async function shot(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function go(hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  const view = hash.split('/')[0];
  await page.waitForSelector(`#view-${view}:not([hidden])`);
  await page.waitForFunction((v) => document.body.dataset.view === v, view);
}

// Clicks deploy and waits for this deployment's outcome line (success naming the model, or an error).
async function deployAndWait(text) {
  await page.click('#deploy-button');
  await page.waitForFunction((want) => {
    const m = document.querySelector('#deploy-msg');
    return m.className === 'msg msg-error' || (m.className === 'msg msg-ok' && m.textContent.includes(want));
  }, text, { timeout: 60000 });
  assert.equal(await page.getAttribute('#deploy-msg', 'class'), 'msg msg-ok', await page.textContent('#deploy-msg'));
}

async function libraryRows() {
  return page.$$eval('#library-table tbody tr', (trs) => trs.map((tr) => {
    const td = [...tr.querySelectorAll('td')].map((c) => c.textContent);
    return { model: td[0], energy: Number(td[1].replace(/,/g, '')), size: Number(td[3].replace(/,/g, '')) };
  }));
}

function agent(fixture, extra = []) {
  const root = path.join(FIXTURES, fixture);
  return startServer(path.join(BIN, 'edgeml-agent'), ['--host', '127.0.0.1', '--port', '0', '--state', tempDir(fixture),
    '--sysfs-root', path.join(root, 'sys'), '--rootfs', root, ...extra]);
}

// The controller's state folder, with the predictors the C++ tests trained on the same data when they are there (the
// controller checks their fingerprint and retrains when the data differ).
function controllerState() {
  const state = tempDir('controller');
  const cache = path.join(BIN, '..', 'test-state', 'deploy-predictor-cache');
  if (fs.existsSync(cache)) fs.cpSync(cache, path.join(state, 'predictors'), { recursive: true });
  return state;
}

before(async () => {
  controller = await startServer(path.join(BIN, 'edgeml-controller'),
    ['--host', '127.0.0.1', '--port', '0', '--data', DATA, '--state', controllerState(), '--poll-interval', String(POLL_S),
     // No post-deploy benchmark window: deploys stay short and the catalog's flag counts stay the files' own.
     '--window-seconds', '0']);
  base = controller.url;
  [orin, nano, pi] = await Promise.all([
    agent('jetson_orin_jp5', ['--procfs-root', '/proc', '--infer-hz', '2']),
    agent('jetson_nano_l4t32', ['--procfs-root', path.join(FIXTURES, 'jetson_nano_l4t32/proc')]),
    agent('rpi5', ['--procfs-root', path.join(FIXTURES, 'rpi5/proc'), '--vcgencmd', path.join(FIXTURES, 'rpi5/bin/vcgencmd')]),
  ]);
  browser = await launchBrowser({ width: 1440, height: 900 });
  page = browser.context.pages()[0] ?? await browser.context.newPage();
  page.on('request', (r) => requests.push(r));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });  // the over-budget question: "deploy anyway"
});

after(async () => {
  await browser?.close();
  await Promise.all([orin?.stop(), nano?.stop(), pi?.stop()]);
  await controller?.stop();
});

describe('dashboard', () => {
  test('the controller binary serves the dashboard by itself, the library filled from its API', async () => {
    await page.goto(base + '/');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
    await page.waitForSelector('#library-table tbody tr');
    // What the binary serves is today's web/dist (else: rebuild edgeml-controller after changing web/).
    const files = [];
    const walk = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) (e.isDirectory() ? walk : (f) => files.push(f))(path.join(dir, e.name)); };
    walk(WEB);
    for (const f of files) {
      const rel = path.relative(WEB, f);
      const res = await fetch(`${base}/${rel}`);
      assert.equal(res.status, 200, rel);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(f)), `${rel}: the embedded copy differs from web/dist (rebuild edgeml-controller)`);
    }
    const all = await api('/api/models/all?device_type=jetson_nano&sort=model&limit=500');
    assert.deepEqual((await libraryRows()).map((r) => r.model), all.body.models.map((m) => m.model));
    const foreign = requests.map((r) => r.url()).filter((u) => !u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(pageErrors, []);
  });

  test('devices: registered through the form, listed online with group and tags; enrollment says it is not there', async () => {
    await go('devices');
    const f = (n) => `#register-form [name="${n}"]`;
    await page.fill(f('name'), 'orin-lab');
    await page.fill(f('address'), orin.url.replace('http://', ''));
    await page.fill(f('device_type'), 'jetson_nano');
    await page.fill(f('group'), 'lab');
    await page.fill(f('tags'), 'gpu, camera');
    await page.click('#register-form button[type="submit"]');
    await page.waitForSelector('#register-msg.msg-ok');
    for (const [name, a, type, group] of [['nano-lab', nano, 'jetson_nano', 'lab'], ['pi-kitchen', pi, 'rpi5', 'home']]) {
      const r = await api('/api/devices', json('POST', { name, address: a.url.replace('http://', ''), device_type: type, group }));
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    for (const d of (await api('/api/devices')).body.devices) ids[d.name] = String(d.id);
    assert.deepEqual((await api(`/api/devices/${ids['orin-lab']}`)).body.device.tags, ['camera', 'gpu']);
    // Online once the controller has polled each agent.
    await page.waitForFunction(() => document.querySelectorAll('#device-table .chip-online').length === 3, null, { timeout: 20000 });
    const row = await page.textContent(`#device-table tr[data-device="${ids['orin-lab']}"]`);
    for (const s of ['orin-lab', 'lab', 'gpu', 'camera', 'jetson_nano']) assert.ok(row.includes(s), `${s} in "${row}"`);
    assert.match(await page.textContent('#enroll-msg'), /No device is waiting/);  // the real enrollment route, empty
  });

  test('a device page: agent facts, live figures of the Orin fixture, edited with PATCH', async () => {
    const id = ids['orin-lab'];
    await page.click(`#device-table a[href="#devices/${id}"]`);
    await page.waitForSelector('#device-page:not([hidden]) #device-facts dd[data-item="agent_version"]');
    const view = (await api(`/api/devices/${id}/agent`)).body;
    await page.waitForFunction((v) => document.querySelector('dd[data-item="agent_version"]')?.textContent === v, view.status.agent.version);
    await page.waitForSelector('#device-live dd[data-item="power"] li[data-rail="VDD_IN"]');
    const live = (await api(`/api/devices/${id}/telemetry/latest`)).body.telemetry;
    const power = await page.textContent('#device-live dd[data-item="power"]');
    for (const rail of live.power.rails) assert.ok(power.includes(`${rail.rail}`) && power.includes(`${p3(rail.watts)} W`), power);
    assert.match(await page.textContent('#device-live dd[data-item="gpu"]'), /^12\.7 % @ 306 MHz/);
    assert.match(await page.textContent('#device-live dd[data-item="power_mode"]'), /^15W \(#0\)/);
    assert.match(await page.textContent('#device-live dd[data-item="fans"]'), /pwmfan: 1,925 rpm/);
    assert.match(await page.textContent('#device-live dd[data-item="battery"]'), /^unavailable: no battery in/);
    // Edit: a tag more, through the form.
    await page.fill('#device-edit-form [name="tags"]', 'gpu, camera, hall');
    await page.click('#device-edit-form button[type="submit"]');
    await page.waitForSelector('#edit-msg.msg-ok');
    assert.deepEqual((await api(`/api/devices/${id}`)).body.device.tags, ['camera', 'gpu', 'hall']);
    await shot('desktop-device-page');
  });

  test('deploy to a group: a staged rollout in one batch, per-device progress, both devices end succeeded', async () => {
    await go('deployment');
    await page.waitForSelector(`#target-list [data-device="${ids['nano-lab']}"]`);
    await page.selectOption('#target-group', 'lab');
    await page.waitForFunction(() => document.querySelector('#deploy-target').textContent.includes('2 device'));
    await page.fill('#batch-size', '2');
    await page.check('input[name="lib-mode"][value="recommended"]');
    await page.waitForFunction(() => document.querySelector('#lib-msg')?.textContent.includes('recommended'));
    const model = (await libraryRows())[0].model;
    await page.click(`#library-table tbody tr[data-model="${model}"]`);
    await page.click('#deploy-button');
    await page.waitForSelector('#deploy-msg.msg-ok, #deploy-msg.msg-error, #deploy-msg.msg-warn', { timeout: 60000 });
    assert.match(await page.textContent('#deploy-msg'), new RegExp(`^2 of 2 devices run ${model}`));
    const shown = await page.$$eval('#rollout-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.device, tr.dataset.status]));
    const logs = (await api('/api/logs?limit=2')).body.logs;
    const rollout = (await api(`/api/rollouts/${logs[0].rollout_id}`)).body;
    assert.deepEqual(shown, rollout.deployments.map((d) => [String(d.device_id), d.status]));
    assert.deepEqual(shown.map((s) => s[0]).sort(), [ids['orin-lab'], ids['nano-lab']].sort());
    assert.ok(shown.every((s) => s[1] === 'succeeded'));
    await shot('desktop-deployment-rollout');
  });

  test('one device: each step shown as recorded; over budget, both figures asked about, then forced', async () => {
    await page.click('#target-none');
    await page.check(`#target-list input[value="${ids['orin-lab']}"]`);
    const rows = await libraryRows();
    const second = rows[1].model;
    await page.click(`#library-table tbody tr[data-model="${second}"]`);
    await deployAndWait(`Deployed ${second} to orin-lab`);
    const record = (await api('/api/logs?limit=1')).body.logs[0];
    assert.equal(record.model, second);
    const steps = await page.$$eval('#deploy-steps li', (lis) => lis.map((li) => [li.dataset.step, li.dataset.status]));
    assert.deepEqual(steps, record.steps.map((s) => [s.name, s.status]));
    assert.match(await page.textContent('#deploy-steps'), /Energy check: passed/);
    // Over budget: the first model again, with half its energy as the budget.
    const { model, energy } = rows[0];
    await page.click(`#library-table tbody tr[data-model="${model}"]`);
    await page.fill('#budget', String(Math.floor(energy / 2)));
    dialogs.length = 0;
    await deployAndWait(`Deployed ${model} to orin-lab`);
    const logs = (await api('/api/logs?limit=2')).body.logs;
    assert.deepEqual(logs.map((l) => [l.model, l.status, l.force]), [[model, 'succeeded', true], [model, 'rejected', false]]);
    assert.equal(dialogs.length, 1);
    for (const v of [logs[1].energy_mwh, logs[1].max_energy]) assert.ok(dialogs[0].includes(`${p3(v)} mWh`), dialogs[0]);
    await page.fill('#budget', '100');
  });

  test('energy watch: each device\'s budget, prediction at deploy, and the measurement now or why there is none', async () => {
    // The Orin runs its loop at 2 Hz with a power source: wait for a measurement, then look.
    const measured = async () => (await api('/api/energy/compare')).body.devices.find((d) => String(d.device_id) === ids['orin-lab']);
    for (let i = 0; i < 60 && (await measured())?.measured_per_inference_mj == null; i++) await new Promise((r) => setTimeout(r, 500));
    await page.reload();
    await page.waitForSelector(`#watch-entries tr[data-device="${ids['orin-lab']}"] td.measured`);
    await page.waitForFunction(() => ![...document.querySelectorAll('#watch-entries td.budget')].some((td) => td.textContent === '…'));
    const compare = (await api('/api/energy/compare')).body.devices;
    for (const c of compare) {
      const row = await page.textContent(`#watch-entries tr[data-device="${c.device_id}"]`);
      const record = (await api(`/api/deployments/${c.deployment_id}`)).body;
      assert.ok(row.includes(c.model), row);
      assert.ok(row.includes(record.max_energy == null ? 'unavailable' : `${p3(record.max_energy)} mWh`), `budget in ${row}`);
      if (c.predicted_energy_mwh != null) assert.ok(row.includes(`${p3(c.predicted_energy_mwh)} mWh`), row);
      if (c.measured_per_inference_mj == null) assert.ok(row.includes(c.measured_unavailable), row);
    }
    const orinRow = compare.find((c) => String(c.device_id) === ids['orin-lab']);
    assert.ok(orinRow.measured_per_inference_mj != null, 'the Orin fixture has INA3221 power and a running loop');
    await shot('desktop-deployment');
  });

  test('stored versions on the device page, and one-click rollback to the previous one', async () => {
    const id = ids['orin-lab'];
    await go(`devices/${id}`);
    const status = (await api(`/api/devices/${id}/agent`)).body.status;
    const prev = status.previous_model;
    assert.ok(prev, 'the agent has a previous model after two deployments');
    await page.waitForFunction((n) => document.querySelector('#device-rollback').textContent.includes(n), prev.name);
    const versions = await page.$$eval('#versions-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.model, tr.dataset.active]));
    assert.ok(versions.length >= 2, JSON.stringify(versions));
    assert.ok(versions.some(([m, active]) => m === status.active_model.name && active === 'true'));
    await page.click('#device-rollback');
    await page.waitForSelector('#rollback-msg.msg-ok', { timeout: 30000 });
    assert.equal((await (await fetch(`${orin.url}/status`)).json()).active_model.name, prev.name);
    await page.waitForSelector('#history-table tbody tr[data-kind="rollback"][data-status="succeeded"]');
  });

  test('a TFLite file dropped on the page: its analysis and predicted energy, stored, selected and deployed', async () => {
    await go('deployment');
    // The real TFLite model of the shared data (the original project's file), as a user would bring it.
    const file = path.join(DATA, 'mobilenetv3_small_075.tflite');
    const bytes = fs.readFileSync(file);
    const model = path.basename(file, '.tflite');
    await page.selectOption('#upload-device', 'rpi5');
    await page.evaluate(({ b64, name }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name));
      const zone = document.querySelector('#upload-drop');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, { b64: bytes.toString('base64'), name: path.basename(file) });
    await page.waitForSelector('#upload-figures', { timeout: 30000 });
    assert.equal(await page.inputValue('#upload-name'), model);
    const form = new FormData();
    form.append('file', new Blob([bytes]), path.basename(file));
    form.append('device_type', 'rpi5');
    const a = (await api('/api/models/analyze', { method: 'POST', body: form })).body;
    const shown = await page.textContent('#upload-figures');
    for (const v of [a.params / 1e6, a.gflops, a.gmacs]) assert.ok(shown.includes(p3(v)), `${p3(v)} in "${shown}"`);
    assert.ok(shown.includes(a.predicted_energy.energy_mwh === null ? a.predicted_energy.reason : `${p3(a.predicted_energy.energy_mwh)} mWh`), shown);
    await page.fill('#upload-name', 'my_model');
    await page.click('#upload-store');
    await page.waitForSelector('#upload-msg.msg-ok');
    assert.match(await page.textContent('#preview-name'), /^my_model/);
    assert.ok((await api('/api/artifacts')).body.artifacts.some((x) => x.file.startsWith('my_model')));
    // Deployed to the Pi with the deploy button.
    await page.click('#target-none');
    await page.check(`#target-list input[value="${ids['pi-kitchen']}"]`);
    await deployAndWait('Deployed my_model to pi-kitchen');
    assert.equal((await (await fetch(`${pi.url}/status`)).json()).active_model.name, 'my_model');
    await shot('desktop-deployment-upload');
  });

  test('the log: filtered by device and result, and exported as CSV exactly as shown', async () => {
    await page.click('#log-refresh');
    await page.fill('#log-search', 'orin-lab');
    await page.selectOption('#log-status', 'succeeded');
    const rows = await page.$$eval('#log-entries tbody tr', (trs) => trs.map((tr) => [tr.dataset.id, tr.dataset.status, tr.cells[1].textContent]));
    const all = (await api('/api/logs?limit=500')).body.logs;
    const expected = all.filter((l) => l.status === 'succeeded' && [l.device, l.model, l.error, l.kind, l.device_ip].some((v) => String(v ?? '').toLowerCase().includes('orin-lab')));
    assert.deepEqual(rows.map((r) => r[0]), expected.map((l) => String(l.deployment_id)));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#log-export')]);
    const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
    assert.equal(csv[0].split(',')[0], 'deployment_id');
    assert.deepEqual(csv.slice(1).map((l) => l.split(',')[0]), rows.map((r) => r[0]));
    assert.equal(await page.getAttribute('#log-export-all', 'href'), '/api/logs/export');
    assert.match((await api('/api/logs/export')).body, /^deployment_id,rollout_id,kind/);
    await page.fill('#log-search', '');
    await page.selectOption('#log-status', '');
  });

  test('monitoring: two devices overlaid, live at the agents\' rate, rails, cores, GPU, EMC, fan, mode, Pi flags, reasons', async () => {
    await go(`monitoring/${ids['orin-lab']}`);
    await page.check(`#mon-devices input[value="${ids['pi-kitchen']}"]`);
    await page.waitForSelector(`#mon-status .status-card[data-device="${ids['pi-kitchen']}"] dd[data-item="throttle"]`);
    const card = (id) => `#mon-status .status-card[data-device="${id}"]`;
    assert.match(await page.textContent(`${card(ids['orin-lab'])} dd[data-item="power_mode"]`), /^15W/);
    const piTel = (await api(`/api/devices/${ids['pi-kitchen']}/telemetry/latest`)).body.telemetry;
    assert.match(await page.textContent(`${card(ids['pi-kitchen'])} dd[data-item="throttle"]`), /under-voltage: has occurred since boot/);
    assert.equal(await page.textContent(`${card(ids['pi-kitchen'])} dd[data-item="gpu"]`), `unavailable: ${piTel.gpu.reason}`);
    // History charts: a line per device, and each device's current value beside the chart.
    await page.waitForFunction(() => document.querySelectorAll('.chart-panel[data-metric="power"] .now li[data-device]').length === 2);
    const nowPower = await page.textContent(`.chart-panel[data-metric="power"] .now li[data-device="${ids['pi-kitchen']}"] .value`);
    assert.match(nowPower, /^[\d.,]+ W$/);
    const energyPi = await page.textContent(`.chart-panel[data-metric="energy"] .now li[data-device="${ids['pi-kitchen']}"]`);
    const piWhy = piTel.energy_model.per_inference_j == null ? (piTel.energy_model.gross_energy_per_inference_reason ?? piTel.energy_model.reason) : null;
    if (piWhy) assert.ok(energyPi.includes(piWhy), `"${energyPi}" should give the agent's reason "${piWhy}"`);
    // Live detail of the Orin: its three rails, per-core CPU, GPU load, EMC, fan.
    const detail = (key) => `.chart-panel[data-detail="${key}"]`;
    await page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.points) >= 2, detail('rails'), { timeout: 15000 });
    const rails = await page.$$eval(`${detail('rails')} .now li`, (lis) => lis.map((li) => li.dataset.series));
    assert.deepEqual(rails, ['VDD_IN', 'VDD_CPU_GPU_CV', 'VDD_SOC']);
    assert.equal(await page.textContent(`${detail('gpu_load')} .now .value`), '12.7 %');
    assert.equal(await page.textContent(`${detail('emc')} .now .value`), '5 %');
    assert.equal(await page.textContent(`${detail('fans')} .now .value`), '1,925 rpm');
    const cores = (await api(`/api/devices/${ids['orin-lab']}/telemetry/latest`)).body.telemetry.cpu.per_core_usage_ratio.length;
    assert.equal((await page.$$(`${detail('cores')} .now li`)).length, cores);
    // The agents' rate, not the poll interval: four new points in under 8 s while the controller polls every 3 s.
    const count = () => page.$eval(detail('rails'), (p) => Number(p.dataset.points));
    const start = await count();
    const t0 = Date.now();
    await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel).dataset.points) >= n, [detail('rails'), start + 4], { timeout: 8000 });
    const rate = 4 / ((Date.now() - t0) / 1000);
    assert.ok(rate > 1.5 / POLL_S, `live at ${rate.toFixed(2)} points/s, the controller polls at ${(1 / POLL_S).toFixed(2)}/s`);
    await shot('desktop-monitoring');
  });

  test('analytics: rpi5 drawn against run duration and said so; the pointer names the model; histogram', async () => {
    await go('analytics');
    await page.waitForSelector('#quality-table tr[data-flag="power_implausible"]');
    assert.equal(await page.textContent('#quality-table tr[data-flag="power_implausible"] .flag-rows'), '72');
    await page.selectOption('#an-device', 'rpi5');
    await page.waitForFunction(() => document.querySelector('#an-scatter').dataset.axis === 'duration_avg_s');
    const rows = (await api('/api/models/all?device_type=rpi5&limit=1000')).body.models;
    const pairs = rows.filter((r) => r.duration_avg_s > 0 && r.energy_mwh > 0);
    assert.equal(Number(await page.getAttribute('#an-scatter', 'data-points')), pairs.length);
    assert.match(await page.textContent('#an-scatter-msg'), /record how long a measured run took/);
    assert.ok(Number(await page.getAttribute('#an-hist', 'data-rows')) > 0);
    // Hover the first point: the tooltip names its model.
    const pos = await page.evaluate(() => {
      const u = document.querySelector('#an-scatter').uplot;
      const i = u.data[1].findIndex((v) => v !== null);
      const r = u.over.getBoundingClientRect();
      return { x: r.left + u.valToPos(u.data[0][i], 'x'), y: r.top + u.valToPos(u.data[1][i], 'y'), x0: u.data[0][i] };
    });
    await page.mouse.move(pos.x, pos.y);
    await page.waitForSelector('#an-scatter .chart-tip:not([hidden])');
    const tip = await page.textContent('#an-scatter .chart-tip');
    const model = pairs.filter((r) => !r.flags.length).sort((a, b) => a.duration_avg_s - b.duration_avg_s)[0].model;
    assert.ok(tip.startsWith(model), `tooltip "${tip}" should name ${model}`);
    await page.selectOption('#an-device', 'jetson_nano');
    await page.waitForFunction(() => document.querySelector('#an-scatter').dataset.axis === 'latency_avg_s');
    await shot('desktop-analytics');
  });

  test('the library: search and sort apply in Recommended mode; an empty answer says why', async () => {
    await go('deployment');
    await page.check('input[name="lib-mode"][value="recommended"]');
    const rec = (await api('/api/models/recommended?device_type=jetson_nano&max_energy=100')).body.models;
    // A part of a name that some, not all, of the recommended rows share.
    const q = ['mobilenet', 'net', 'v3', '_', 'e'].find((s) => {
      const n = rec.filter((m) => m.model.includes(s)).length;
      return n > 1 && n < rec.length;
    });
    assert.ok(q, rec.map((m) => m.model).join(' '));
    await page.fill('#lib-search', q);
    await page.selectOption('#lib-sort', 'size');
    await page.waitForFunction(() => document.querySelector('#lib-msg').textContent.includes('match the search'));
    const rows = await libraryRows();
    const expected = rec.filter((m) => m.model.toLowerCase().includes(q)).sort((a, b) => a.size_mb - b.size_mb).map((m) => m.model);
    assert.deepEqual(rows.map((r) => r.model), expected);
    await page.fill('#lib-search', '');
    await page.selectOption('#lib-device', 'rpi5');
    await page.fill('#lib-max-latency', '1');
    await page.waitForFunction(() => document.querySelector('#lib-msg').textContent.includes('per-inference latency'));
    assert.match(await page.textContent('#lib-msg'), /^0 recommended of 0 .*No rpi5 row has a per-inference latency/);
    await page.fill('#lib-max-latency', '');
    await page.selectOption('#lib-device', 'jetson_nano');
    await page.selectOption('#lib-sort', 'model');
  });

  test('Vietnamese: no English left in any view, steps, results, flags and dates in Vietnamese', async () => {
    const en = (await import(path.join(WEB, 'src/strings_en.js'))).default;
    const vi = (await import(path.join(WEB, 'src/strings_vi.js'))).default;
    assert.deepEqual(Object.keys(vi).sort(), Object.keys(en).sort(), 'both languages have the same keys');
    const english = new Set(Object.keys(en).filter((k) => en[k] !== vi[k] && !/\{/.test(en[k]) && en[k].length > 3).map((k) => en[k]));
    await page.selectOption('#lang', 'vi');
    const views = ['deployment', `devices/${ids['orin-lab']}`, 'devices', `monitoring/${ids['orin-lab']}`, 'analytics'];
    for (const v of views) {
      await go(v);
      await page.waitForTimeout(1200);  // the view's answers and a live tick
      const leftovers = await page.evaluate((words) => {
        const set = new Set(words);
        const out = [];
        const w = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
        for (let t = w.nextNode(); t; t = w.nextNode()) {
          const s = t.textContent.trim();
          if (s && set.has(s) && t.parentElement.closest(':not([hidden])') && t.parentElement.offsetParent !== null) out.push(s);
        }
        for (const e of document.querySelectorAll('main [placeholder]')) if (set.has(e.placeholder)) out.push(e.placeholder);
        return out;
      }, [...english]);
      assert.deepEqual(leftovers, [], `English left in #${v}`);
      await shot(`desktop-${v.split('/')[0]}-vi`);
    }
    await go(`devices/${ids['orin-lab']}`);
    await page.waitForSelector('#history-table tbody tr');
    const history = await page.textContent('#history-table');
    assert.ok(history.includes('Kiểm tra năng lượng') && history.includes('thành công'), history);
    const first = (await api(`/api/devices/${ids['orin-lab']}/deployments?limit=1`)).body.deployments[0];
    const date = await page.evaluate((t) => new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeStyle: 'medium' })
      .format(new Date(t * 1000)), first.started_at);
    assert.equal(await page.textContent('#history-table tbody tr:first-child td:first-child'), date);
    await go('deployment');
    await page.check('input[name="lib-mode"][value="all"]');
    await page.waitForSelector('#library-table .flag');
    assert.ok((await page.textContent('#library-table')).includes('công suất vô lý'));
    assert.match(await page.textContent('#library-table tbody tr:first-child td:nth-child(3)'), /^\d+,\d+$|^\d+$/, 'decimal comma');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.textContent('#tab-deployment'), 'Triển khai', 'the choice is remembered');
    await page.selectOption('#lang', 'en');
  });

  test('every view at 390x844 and 1440x900: no horizontal overflow, every control named, text contrast 4.5:1', async () => {
    const views = ['deployment', 'devices', `devices/${ids['orin-lab']}`, `monitoring/${ids['orin-lab']}`, 'analytics'];
    for (const [w, h, label] of [[390, 844, 'phone'], [1440, 900, 'desktop']]) {
      await page.setViewportSize({ width: w, height: h });
      for (const v of views) {
        await go(v);
        await page.waitForTimeout(800);
        const o = await overflow(page);
        assert.ok(o.page <= o.window, `#${v} at ${w}px is ${o.page}px wide`);
        assert.deepEqual(await unlabelled(page), [], `controls without a name in #${v}`);
        assert.deepEqual(await lowContrast(page), [], `low contrast in #${v} at ${w}px`);
        await shot(`${label}-${v.replace(/\/.*/, '-page')}`);
      }
    }
  });

  test('keyboard: tabs with the arrow keys, a library row with Enter, the drop zone opens the file chooser', async () => {
    await go('deployment');
    await page.focus('#tab-deployment');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.body.dataset.view === 'devices');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-devices');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.body.dataset.view === 'deployment');
    await page.waitForSelector('#library-table tbody tr');
    const model = (await libraryRows())[2].model;
    await page.focus(`#library-table tbody tr[data-model="${model}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#library-table tbody tr.selected[data-model="${model}"]`);
    assert.match(await page.textContent('#preview-name'), new RegExp(`^${model}`));
    await page.focus('#upload-drop');
    // Playwright starts intercepting file choosers when asked to wait for one; a round trip to the page makes sure
    // that is in place before the key is pressed (else the browser's own chooser opens, unseen).
    const chooser = page.waitForEvent('filechooser', { timeout: 10000 });
    await page.evaluate(() => document.activeElement.id);
    await page.keyboard.press('Enter');
    assert.ok(await chooser);
  });

  test('installable: manifest and icons; the service worker keeps the page usable offline', async () => {
    const manifest = (await api('/manifest.webmanifest')).body;
    assert.equal(manifest.display, 'standalone');
    for (const size of ['192x192', '512x512']) {
      const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
      const res = await fetch(`${base}/${icon.src}`);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const png = Buffer.from(await res.arrayBuffer());
      assert.equal(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, size, `${icon.src} is ${size}`);
    }
    // Every file of the page is in the service worker's list.
    const sw = await (await fetch(`${base}/sw.js`)).text();
    const listed = new Set([...sw.matchAll(/^ {2}'([^']+)',$/gm)].map((m) => m[1]));
    const files = [];
    const walk = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) (e.isDirectory() ? walk : (f) => files.push(f))(path.join(dir, e.name)); };
    walk(WEB);
    const missing = files.map((f) => path.relative(WEB, f)).filter((f) => f !== 'sw.js' && !f.endsWith('LICENSE') && !listed.has(f));
    assert.deepEqual(missing, [], 'files the offline shell would lack');
    await go('deployment');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    await browser.context.setOffline(true);
    try {
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForSelector('#offline-banner:not([hidden])');
      for (const v of ['devices', 'monitoring', 'analytics']) {
        await go(v);
        assert.equal(await page.isVisible(`#view-${v}`), true);
      }
      assert.ok(!pageErrors.some((e) => /import|module/i.test(e)), pageErrors.join('\n'));
    } finally {
      await browser.context.setOffline(false);
    }
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
  });

  test('a 401 shows the login prompt; requests that change something carry the CSRF token of the session cookie', async () => {
    await browser.context.addCookies([{ name: 'edgeml_csrf', value: 'csrf-from-cookie', url: base }]);
    await go('deployment');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    // The controller on loopback asks for no credentials: a 401 is made here, once, for the log's request.
    let refused = false;
    await page.route('**/api/logs?limit=500', (route) => {
      if (refused) return route.continue();
      refused = true;
      return route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":"log in first","kind":"unauthorized"}' });
    });
    await page.click('#log-refresh');
    await page.waitForSelector('#login-dialog[open]');
    await page.fill('#login-form [name="name"]', 'ops');
    await page.fill('#login-form [name="password"]', 'secret');
    await page.click('#login-form button[value="login"]');
    await page.waitForSelector('#login-msg.msg-error');
    assert.match(await page.textContent('#login-msg'), /wrong user name or password/);  // the real login route: no such user
    await page.click('#login-form button[value="cancel"]');
    await page.waitForSelector('#login-dialog:not([open])', { state: 'attached' });
    await page.unroute('**/api/logs?limit=500');
    // A PATCH from the device page carries the token.
    await go(`devices/${ids['nano-lab']}`);
    await page.waitForFunction(() => document.querySelector('#device-edit-form [name="name"]').value === 'nano-lab');
    await page.fill('#device-edit-form [name="group"]', 'lab2');
    const [req] = await Promise.all([page.waitForRequest((r) => r.method() === 'PATCH'), page.click('#device-edit-form button[type="submit"]')]);
    assert.equal(req.headers()['x-csrf-token'], 'csrf-from-cookie');
    await page.waitForSelector('#edit-msg.msg-ok');
  });

  test('an MQTT-mode device: registered without an address; its page and monitoring card say the controller does not call it', async () => {
    await go('devices');
    const f = (n) => `#register-form [name="${n}"]`;
    await page.selectOption(f('transport'), 'mqtt');
    assert.equal(await page.$eval(f('address'), (e) => e.required), false, 'no address needed for MQTT');
    await page.fill(f('name'), 'nano-mqtt');
    await page.fill(f('device_type'), 'jetson_nano');
    await page.click('#register-form button[type="submit"]');
    await page.waitForSelector('#register-msg.msg-ok');
    const d = (await api('/api/devices')).body.devices.find((x) => x.name === 'nano-mqtt');
    assert.equal(d.transport, 'mqtt');
    assert.equal(d.address, '');
    const id = String(d.id);
    await page.waitForFunction((i) => document.querySelector(`#device-table tr[data-device="${i}"]`)?.textContent.includes('mqtt'), id);
    await go(`devices/${id}`);
    const said = /does not call agents on the mqtt transport/;
    await page.waitForFunction(() => /mqtt transport/.test(document.querySelector('#device-live-msg')?.textContent ?? ''));
    assert.match(await page.textContent('#device-live-msg'), said);
    await page.waitForFunction(() => /mqtt transport/.test(document.querySelector('dd[data-item="agent_version"]')?.textContent ?? ''));
    assert.equal(await page.$eval('#device-edit-form [name="address"]', (e) => e.required), false);
    await go(`monitoring/${id}`);
    await page.waitForFunction((i) => /mqtt transport/.test(document.querySelector(`.status-card[data-device="${i}"]`)?.textContent ?? ''), id);
    assert.equal((await api(`/api/devices/${id}?purge=true`, { method: 'DELETE' })).status, 200);
  });

  test('deleting devices: keep their history in the log, or purge it', async () => {
    for (const [name, purge] of [['nano-lab', false], ['pi-kitchen', true]]) {
      const id = ids[name];
      await go(`devices/${id}`);
      await page.waitForFunction((n) => document.querySelector('#device-title')?.textContent.startsWith(n), name);
      await page.click('#device-delete');
      await page.waitForSelector('#delete-dialog[open]');
      assert.match(await page.textContent('#delete-title'), new RegExp(name));
      await page.check(`#delete-dialog input[value="${purge}"]`);
      await page.click('#delete-confirm');
      await page.waitForFunction(() => location.hash === '#devices');
      await page.waitForFunction((i) => !document.querySelector(`#device-table tr[data-device="${i}"]`), id);
      assert.equal((await api(`/api/devices/${id}`)).status, 404);
      const logs = (await api('/api/logs?limit=1000')).body.logs;
      assert.equal(logs.some((l) => String(l.device_id) === id), !purge, `${name}: history ${purge ? 'purged' : 'kept'}`);
    }
    assert.deepEqual(pageErrors, []);
  });
});
