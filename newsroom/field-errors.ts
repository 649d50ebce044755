import { byId } from './dom.js';

/** Ties an error message to a field: shown under it, announced with it (aria-describedby), marked invalid. */
export function showFieldError(fieldId: string, message: string): void {
  const field = byId(fieldId);
  const error = byId(`${fieldId}-error`);
  error.textContent = message;
  error.hidden = false;
  field.setAttribute('aria-invalid', 'true');
  const described = new Set((field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  described.add(error.id);
  field.setAttribute('aria-describedby', [...described].join(' '));
}

export function clearFieldError(fieldId: string): void {
  const field = document.getElementById(fieldId);
  const error = document.getElementById(`${fieldId}-error`);
  if (!field || !error) return;
  error.textContent = '';
  error.hidden = true;
  field.removeAttribute('aria-invalid');
  const described = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && id !== error.id);
  if (described.length) field.setAttribute('aria-describedby', described.join(' '));
  else field.removeAttribute('aria-describedby');
}
