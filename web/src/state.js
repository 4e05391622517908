// What the panels share: the selected model row, the deploy targets (registered device ids, or a free agent address).
// A tiny observable, no framework.
const state = { model: null, deviceAddress: '', targets: [], deviceType: '' };
const listeners = new Set();

export function getState() { return state; }

export function setState(patch) {
  Object.assign(state, patch);
  for (const fn of listeners) fn(state, patch);
}

export function subscribe(fn) { listeners.add(fn); }
