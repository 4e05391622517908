// Starting the real executables on loopback with free ports (port 0; the executable prints the port it got).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through ctest (tests/web/CMakeLists.txt sets it)`);
  return v;
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `edgeml-web-${prefix}-`));
}

// Starts `exe args...` and resolves with {url, stop} once it prints "<name> listening on http://HOST:PORT".
export function startServer(exe, args, { timeoutMs = 120000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${exe} did not start in ${timeoutMs} ms\n${err}`)); }, timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          stderr: () => err,
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', done);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
        });
      }
    });
    child.stderr.on('data', (d) => { err += d; if (err.length > 200000) err = err.slice(-100000); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${exe} exited with ${code} before listening\n${err}`)); });
  });
}

// An endpoint "exists" unless the router answers 404 "no such endpoint" (see web/src/api.js for the same rule).
export async function endpointExists(url, method = 'GET', body) {
  const res = await fetch(url, { method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' } });
  const text = await res.text();
  return !(res.status === 404 && /no such endpoint/i.test(text));
}
