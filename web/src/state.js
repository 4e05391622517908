// What the panels share: the selected model row and the device the user targets. A tiny observable, no framework.
const state = { model: null, deviceAddress: '', deviceId: '', deviceType: '' };
const listeners = new Set();

export function getState() { return state; }

export function setState(patch) {
  Object.assign(state, patch);
  for (const fn of listeners) fn(state, patch);
}

export function subscribe(fn) { listeners.add(fn); }
