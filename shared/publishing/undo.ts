import type { Logger } from '../log.js';

/** Takes back one write of a failed publish or correction. Safe to repeat: a delete of what is gone, a release of one's own claim only. */
export type UndoStep = () => Promise<void>;

const ATTEMPTS = 4;

/**
 * Runs a step that is safe to repeat until it succeeds, a few times with a short pause: one failed
 * call (a throttle, a timeout) must not leave an orphan behind, nor a half-finished cleanup.
 */
export async function repeatUntilDone(step: UndoStep, attempts = ATTEMPTS): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

/**
 * Undoes in reverse order, and stops at a step that still fails: the steps before it are what
 * made the later writes safe (a short link exists only while its page does), so what stays is a
 * state the write order allows, which a retry of the same article id completes. False when it stopped.
 */
export async function rollBack(undo: UndoStep[], log: Logger): Promise<boolean> {
  for (const [done, step] of [...undo].reverse().entries()) {
    try {
      await repeatUntilDone(step);
    } catch (error) {
      log.error('rollback step failed; the writes before it stay', { error, undone: done, left: undo.length - done });
      return false;
    }
  }
  return true;
}
