import { h } from './dom.js';
import { clearFieldError, showFieldError } from './field-errors.js';

/** The confirmation a takedown needs: a reason, and a second, deliberate press. */
export function takeDownDialog(): { element: HTMLDialogElement; confirm(): Promise<string | undefined> } {
  const reason = h('textarea', { id: 'takedown-reason', rows: '3', 'aria-describedby': 'takedown-reason-hint' });
  const confirmButton = h('button', { type: 'button', class: 'danger' }, 'Take down for good');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const error = h('p', { id: 'takedown-reason-error', class: 'error', hidden: true });
  const element = h(
    'dialog',
    { 'aria-labelledby': 'takedown-heading', class: 'confirm' },
    h('h2', { id: 'takedown-heading' }, 'Take this article down?'),
    h('p', {}, 'The page, its short link and its photo are removed everywhere at once and cannot be brought back; the URL answers “gone”.'),
    h('label', { for: 'takedown-reason' }, 'Reason'),
    h('p', { id: 'takedown-reason-hint', class: 'hint' }, 'Recorded in the article’s history, e.g. a court order.'),
    reason,
    error,
    h('div', { class: 'actions' }, confirmButton, cancel),
  );
  return {
    element,
    confirm() {
      reason.value = '';
      element.showModal();
      reason.focus();
      return new Promise((resolve) => {
        const done = (answer: string | undefined) => {
          // A "Give a reason" left from this time must not greet the next.
          clearFieldError('takedown-reason');
          confirmButton.removeEventListener('click', onConfirm);
          cancel.removeEventListener('click', onCancel);
          element.removeEventListener('cancel', onCancel);
          element.close();
          resolve(answer);
        };
        const onConfirm = () => {
          if (!reason.value.trim()) {
            showFieldError('takedown-reason', 'Give a reason for the takedown.');
            reason.focus();
            return;
          }
          done(reason.value.trim());
        };
        const onCancel = () => done(undefined);
        confirmButton.addEventListener('click', onConfirm);
        cancel.addEventListener('click', onCancel);
        element.addEventListener('cancel', onCancel);
      });
    },
  };
}
