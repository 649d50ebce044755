import { byId, h, showView } from './dom.js';
import { clearFieldError, showFieldError } from './field-errors.js';

/** The first view: one field for the API key. `attempt` answers an error message, or nothing once signed in. */
export function showSignIn(attempt: (key: string) => Promise<string | undefined>): void {
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'api-key-hint' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { novalidate: true, class: 'sign-in' },
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, 'API key'), input, h('p', { id: 'api-key-hint', class: 'hint' }, 'The key you were given (it looks like 0123456789abcdef.…). It is kept in this tab only, never stored: reloading or closing the tab signs you out.'), h('p', { id: 'api-key-error', class: 'error', hidden: true })),
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      showFieldError('api-key', 'Enter your API key.');
      input.focus();
      return;
    }
    button.disabled = true;
    clearFieldError('api-key');
    void attempt(key).then((problem) => {
      if (!problem) return;
      button.disabled = false;
      showFieldError('api-key', problem);
      byId('api-key').focus();
    });
  });
  showView('Sign in', h('p', {}, 'Write, preview and publish articles.'), form);
  // When a person can first type: what `npm run bench` reports as the app's first load.
  if (performance.getEntriesByName('sign-in-ready').length === 0) performance.mark('sign-in-ready');
}
