import { ValidationError, type FieldProblem } from '../errors.js';

/** What `DELETE /api/articles/<id>` may carry: nothing (a takedown), or a legal purge and why. */
export interface TakedownRequest {
  /** Also delete every stored version of the article's photos (a legal takedown keeps no copy). */
  purge: boolean;
  /** Why, in the editor's words: required with `purge`, kept in the article's history and the log. */
  reason?: string;
}

export const TAKEDOWN_REASON_MAX = 1_000;

/** Reads the takedown's optional JSON body, naming every field that breaks a rule. */
export function parseTakedownRequest(input: unknown): TakedownRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError([{ path: '', rule: 'type', message: 'the body must be a JSON object: {"purge": true, "reason": "…"}, or nothing' }], 'The takedown request has problems; see fields.');
  }
  const { purge, reason, ...unknown } = input as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const unknownKeys = Object.keys(unknown);
  if (unknownKeys.length) problems.push({ path: unknownKeys[0]!, rule: 'unknown_field', message: `unknown field(s): ${unknownKeys.join(', ')}` });
  if (purge !== undefined && typeof purge !== 'boolean') problems.push({ path: 'purge', rule: 'boolean', message: 'purge must be true or false' });
  const trimmed = typeof reason === 'string' ? reason.trim() : undefined;
  if (reason !== undefined && (trimmed === undefined || trimmed.length > TAKEDOWN_REASON_MAX)) {
    problems.push({ path: 'reason', rule: 'max_length', message: `reason must be text of up to ${TAKEDOWN_REASON_MAX} characters` });
  } else if (purge === true && !trimmed) {
    problems.push({ path: 'reason', rule: 'required', message: 'reason is required with purge: say why every copy must go (a court order, a legal request)' });
  } else if (reason !== undefined && !trimmed) {
    problems.push({ path: 'reason', rule: 'not_empty', message: 'reason is empty: say why the article is taken down, or leave the field out' });
  }
  if (problems.length) throw new ValidationError(problems, 'The takedown request has problems; see fields.');
  return { purge: purge === true, ...(trimmed ? { reason: trimmed } : {}) };
}
