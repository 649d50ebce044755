import { api, ApiError, useKey, type Me } from './api.js';
import { announce, byId } from './dom.js';
import { showEditor } from './editor.js';
import { showList } from './list.js';
import { showSignIn } from './sign-in.js';

/** Who is signed in; undefined before sign-in and after sign-out. */
let me: Me | undefined;

function signedIn(who: Me): void {
  me = who;
  byId('who').textContent = `Signed in as ${who.name} (${who.role})`;
  byId('nav').hidden = false;
  announce(`Signed in as ${who.name}, ${who.role}.`);
  openList();
}

function signOut(): void {
  useKey(undefined);
  me = undefined;
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
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return `That key was not accepted: ${error.message}`;
    return `Could not sign in: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function openList(): void {
  if (me) showList(me, openEditor);
}

function openEditor(id?: string): void {
  if (me) void showEditor(me, id, openList);
}

function start(): void {
  byId('nav-list').addEventListener('click', openList);
  byId('nav-new').addEventListener('click', () => openEditor());
  byId('nav-sign-out').addEventListener('click', signOut);
  showSignIn(trySignIn);
}

// A module script runs after the document is parsed.
start();
