import { api, ApiError, problemText, withRequestId } from './api.js';
import { h } from './dom.js';

const DEBOUNCE_MS = 300;

/**
 * The live preview: the page the site's own renderer makes of the submission (`POST /api/render`),
 * in a sandboxed frame without scripts. It follows typing after a short pause; answers that arrive
 * out of order are dropped, so the frame always shows the latest text that could be rendered.
 */
export class LivePreview {
  readonly frame = h('iframe', { title: 'The article page as readers will see it', sandbox: '', class: 'preview-frame' });
  readonly note = h('p', { id: 'preview-note', class: 'hint' }, 'The page appears here as you write.');
  readonly region = h('section', { 'aria-label': 'Preview', class: 'preview' }, h('h2', {}, 'Preview'), this.note, this.frame);
  private timer: number | undefined;
  private sent = 0;

  constructor(private readonly submission: () => unknown) {}

  /** Asks for a new preview once typing pauses. */
  update(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.render(), DEBOUNCE_MS);
  }

  stop(): void {
    window.clearTimeout(this.timer);
    this.sent = Number.MAX_SAFE_INTEGER;
  }

  private async render(): Promise<void> {
    const ticket = ++this.sent;
    try {
      const page = await api.render(this.submission());
      if (ticket !== this.sent) return;
      this.frame.srcdoc = page;
      this.note.textContent = 'Up to date with what you typed.';
    } catch (error) {
      if (ticket !== this.sent) return;
      const problems = error instanceof ApiError && error.fields.length ? withRequestId(error.fields.map((f) => f.message).join('; '), error) : problemText(error);
      this.note.textContent = `The preview shows the last version that could be rendered. Still to fix: ${problems}`;
    }
  }
}
