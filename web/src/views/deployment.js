// The Deployment view: wires its panels together. Each panel lives in views/deployment/ and owns its DOM.
import { loadDeviceTypes } from '../devices.js';
import { startTargetsPanel } from './deployment/targets_panel.js';
import { startBalenaPanel } from './deployment/balena_panel.js';
import { startLibraryPanel } from './deployment/library_panel.js';
import { startPreviewPanel } from './deployment/preview_panel.js';
import { startDeployPanel } from './deployment/deploy_panel.js';
import { startLogPanel } from './deployment/log_panel.js';
import { startPredictPanel } from './deployment/predict_panel.js';
import { startUploadPanel } from './deployment/upload_panel.js';
import { startEnergyWatchPanel } from './deployment/energy_watch_panel.js';

export async function startDeployment() {
  const deviceTypes = await loadDeviceTypes();
  const log = startLogPanel();
  startPreviewPanel();
  const targets = startTargetsPanel();
  startBalenaPanel();
  const watch = startEnergyWatchPanel();
  startDeployPanel({ targets, onFinished: () => { log.refresh(); targets.refresh(); watch.refresh(); } });
  startPredictPanel(deviceTypes);
  startUploadPanel(deviceTypes);
  await startLibraryPanel(deviceTypes);
  return {
    show() { targets.show(); watch.show(); },
    hide() { targets.hide(); watch.hide(); },
  };
}
