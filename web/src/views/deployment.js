// The Deployment view: wires its panels together. Each panel lives in views/deployment/ and owns its DOM.
import { loadDeviceTypes } from '../devices.js';
import { startDevicePanel } from './deployment/device_panel.js';
import { startBalenaPanel } from './deployment/balena_panel.js';
import { startLibraryPanel } from './deployment/library_panel.js';
import { startPreviewPanel } from './deployment/preview_panel.js';
import { startDeployPanel } from './deployment/deploy_panel.js';
import { startLogPanel } from './deployment/log_panel.js';
import { startPredictPanel } from './deployment/predict_panel.js';
import { startAnalyzePanel } from './deployment/analyze_panel.js';

export async function startDeployment() {
  const deviceTypes = await loadDeviceTypes();
  const log = startLogPanel();
  startPreviewPanel();
  const devices = startDevicePanel();
  startBalenaPanel();
  startDeployPanel({ onFinished: () => { log.refresh(); devices.refresh(); } });
  startPredictPanel(deviceTypes);
  startAnalyzePanel();
  await startLibraryPanel(deviceTypes);
  return { show: devices.show, hide: devices.hide };
}
