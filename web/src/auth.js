// Login when the controller requires it. The controller's security (login with a session cookie, CSRF header) may or
// may not be there: nothing here runs until a request is answered 401. The CSRF token is read once, from the
// readable cookie the login sets (edgeml_csrf) or a <meta name="csrf-token">, and kept for the page's life; a login
// answer replaces it.
import { t, applyTranslations } from './i18n.js';
import { say } from './dom.js';

const CSRF_COOKIE = 'edgeml_csrf';
let csrf = readCsrfOnce();
let pending = null;  // one prompt for every request waiting on it

function readCsrfOnce() {
  const meta = document.querySelector('meta[name="csrf-token"]')?.content;
  if (meta) return meta;
  const m = document.cookie.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return m ? decodeURIComponent(m.slice(CSRF_COOKIE.length + 1)) : '';
}

export function csrfToken() { return csrf; }

// Shows the login dialog; resolves true once logged in, false when the user cancels.
export function requireLogin() {
  if (pending) return pending;
  const dialog = document.getElementById('login-dialog');
  const form = document.getElementById('login-form');
  const msg = document.getElementById('login-msg');
  if (!dialog || typeof dialog.showModal !== 'function') return Promise.resolve(false);
  applyTranslations(dialog);
  say(msg, '');
  pending = new Promise((resolve) => {
    const done = (ok) => {
      form.removeEventListener('submit', submit);
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      pending = null;
      resolve(ok);
    };
    const cancel = () => done(false);
    async function submit(e) {
      if (e.submitter?.value !== 'login') { done(false); return; }
      e.preventDefault();
      const body = { name: form.elements.name.value, password: form.elements.password.value };
      let res;
      try {
        res = await fetch('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body), credentials: 'same-origin' });
      } catch (err) {
        say(msg, t('common.network_error', { path: '/api/auth/login', error: err.message }), 'error');
        return;
      }
      const data = await res.json().catch(() => null);
      if (res.status === 404 && (!data?.error || /no such endpoint/i.test(data.error))) {
        say(msg, t('auth.no_login_route'), 'error');
        return;
      }
      if (!res.ok) { say(msg, t('auth.failed', { error: data?.error ?? res.status }), 'error'); return; }
      csrf = data?.csrf_token ?? readCsrfOnce();
      form.elements.password.value = '';
      done(true);
    }
    form.addEventListener('submit', submit);
    dialog.addEventListener('cancel', cancel);
    dialog.showModal();
    form.elements.name.focus();
  });
  return pending;
}
