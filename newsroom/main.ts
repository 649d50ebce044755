import { api, ApiError, onKeyRefused, problemText, useKey, withRequestId, type Me } from './api.js';
import { announce, byId, h } from './dom.js';
import { showEditor } from './editor.js';
import { showList } from './list.js';
import { showSignIn } from './sign-in.js';

/** Who is signed in; undefined before sign-in and after sign-out. */
let me: Me | undefined;

/** Aborted when the view is left, however: the editor stops its preview and its photo's upload and polling. */
let leaving = new AbortController();

function leaveView(): AbortSignal {
  leaving.abort();
  leaving = new AbortController();
  return leaving.signal;
}

/** Offers the way back in when the key stops working mid-session; what is on screen stays, to be copied first. */
const keyRefusedBox = h('div', { id: 'key-refused', class: 'problem', role: 'alert' });

function keyRefused(error: ApiError): void {
  if (!me || keyRefusedBox.isConnected) return;
  const again = h('button', { type: 'button' }, 'Sign in again');
  again.addEventListener('click', signOut);
  keyRefusedBox.replaceChildren(h('p', {}, problemText(error)), again);
  byId('main').before(keyRefusedBox);
}

function signedIn(who: Me): void {
  me = who;
  byId('who').textContent = `Signed in as ${who.name} (${who.role})`;
  byId('nav').hidden = false;
  announce(`Signed in as ${who.name}, ${who.role}.`);
  openList();
}

function signOut(): void {
  leaveView();
  useKey(undefined);
  me = undefined;
  keyRefusedBox.remove();
  byId('nav').hidden = true;
  showSignIn(trySignIn);
  announce('Signed out. The key is forgotten.');
}

async function trySignIn(key: string): Promise<string | undefined> {
  useKey(key);
  try {
    signedIn(await api.me());
    return undefined;
  } catch (error) {
    useKey(undefined);
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return withRequestId(`That key was not accepted: ${error.message}`, error);
    return `Could not sign in: ${problemText(error)}`;
  }
}

function openList(): void {
  leaveView();
  if (me) showList(me, openEditor);
}

function openEditor(id?: string): void {
  const signal = leaveView();
  if (me) void showEditor(me, id, openList, signal);
}

function start(): void {
  onKeyRefused(keyRefused);
  byId('nav-list').addEventListener('click', openList);
  byId('nav-new').addEventListener('click', () => openEditor());
  byId('nav-sign-out').addEventListener('click', signOut);
  showSignIn(trySignIn);
}

// A module script runs after the document is parsed.
start();
