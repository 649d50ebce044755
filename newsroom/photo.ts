import { api, ApiError, problemText, withRequestId, type MediaStatus } from './api.js';
import { announce, h } from './dom.js';
import { clearFieldError, showFieldError } from './field-errors.js';

export type PhotoState = 'none' | 'uploading' | 'processing' | 'ready' | 'rejected';

const POLL_MS = 500;
const GIVE_UP_MS = 10 * 60_000;

const wait = (ms: number) => new Promise((resolve) => window.setTimeout(resolve, ms));

/** The rendition to show beside the fields: a JPEG near 640 pixels wide, small and shown everywhere. */
function thumbnail(media: MediaStatus): string | undefined {
  const jpegs = (media.renditions ?? []).filter((r) => r.format === 'jpeg').sort((a, b) => a.width - b.width);
  return (jpegs.find((r) => r.width >= 640) ?? jpegs[jpegs.length - 1] ?? media.renditions?.[0])?.url;
}

/**
 * The lead photo of the article being edited: uploaded straight to the media bucket with the
 * presigned POST the API hands out (XMLHttpRequest, for its progress events), then watched until
 * processing says ready (the rendition is shown) or rejected (the reason is shown at the field).
 */
export class LeadPhoto {
  state: PhotoState = 'none';
  mediaId: string | undefined;
  private settled: Promise<void> = Promise.resolve();
  readonly progress = h('progress', { id: 'f-photo-progress', max: '1', value: '0', hidden: true, 'aria-label': 'Upload progress' });
  readonly status = h('p', { id: 'f-photo-status', class: 'hint' }, 'No photo yet.');
  /** Holds the rendition once there is one (an `img` without `src` would be invalid HTML). */
  readonly image = h('div', { class: 'thumb-slot' });

  readonly remove = h('button', { type: 'button', hidden: true }, 'Remove the photo');
  /** Bumped by every new file, removal or stop, so an upload that was replaced cannot report over its successor. */
  private generation = 0;
  /** The upload to the bucket in flight, if any. */
  private request: XMLHttpRequest | undefined;

  constructor(
    private readonly fieldId: string,
    private readonly changed: () => void,
  ) {
    this.remove.addEventListener('click', () => this.clear());
  }

  /** No photo: the article goes without one (an upload in flight is left to be forgotten). */
  clear(): void {
    this.generation++;
    this.mediaId = undefined;
    this.settled = Promise.resolve();
    this.progress.hidden = true;
    this.show(undefined);
    clearFieldError(this.fieldId);
    const input = document.getElementById(this.fieldId);
    if (input instanceof HTMLInputElement) input.value = '';
    this.remove.hidden = true;
    this.say('none', 'No photo.');
  }

  /** The editor was left: the upload in flight is abandoned and its processing no longer watched or reported. */
  stop(): void {
    this.generation++;
    this.request?.abort();
  }

  /** An article's photo that was processed long ago. */
  showStored(mediaId: string, url: string | undefined): void {
    this.mediaId = mediaId;
    this.state = 'ready';
    // The API keeps a stored article's photo when none is sent: it can be replaced, not removed.
    this.remove.hidden = true;
    this.status.textContent = 'The article’s photo. Choose another file to replace it.';
    if (url) this.show(url);
  }

  private show(url: string | undefined): void {
    this.image.replaceChildren(...(url ? [h('img', { src: url, alt: '', class: 'thumb' })] : []));
  }

  start(file: File): void {
    this.settled = this.upload(file);
  }

  /** Resolves once the photo is ready, refused, or there is none. */
  whenSettled(): Promise<void> {
    return this.settled;
  }

  private say(state: PhotoState, message: string): void {
    this.state = state;
    this.status.textContent = message;
    announce(message);
    this.changed();
  }

  private async upload(file: File): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.remove.hidden = false;
    clearFieldError(this.fieldId);
    this.mediaId = undefined;
    this.show(undefined);
    this.progress.value = 0;
    this.progress.hidden = false;
    this.say('uploading', `Uploading ${file.name}…`);
    try {
      const ticket = await api.requestUpload(file);
      if (!current()) return;
      this.mediaId = ticket.id;
      await this.post(file, ticket.upload);
      if (!current()) return;
      this.progress.value = 1;
      this.say('processing', 'Uploaded. Processing the photo (resizing for every screen)…');
      const media = await this.untilProcessed(ticket.id, current);
      if (!media || !current()) return;
      this.progress.hidden = true;
      if (media.status === 'ready') {
        this.show(thumbnail(media));
        this.say('ready', `Photo ready: ${media.width ?? '?'} × ${media.height ?? '?'} pixels.`);
      } else {
        this.refuse(`The photo was refused: ${media.reason ?? 'it is not a usable photo'}`);
      }
    } catch (error) {
      if (!current()) return;
      this.progress.hidden = true;
      const message = error instanceof ApiError && error.fields.length ? withRequestId(error.fields.map((f) => f.message).join('; '), error) : problemText(error);
      this.refuse(`The photo could not be uploaded: ${message}`);
    }
  }

  private refuse(message: string): void {
    this.mediaId = undefined;
    showFieldError(this.fieldId, message);
    this.say('rejected', 'No photo: see the message above.');
  }

  private post(file: File, upload: { url: string; fields: Record<string, string> }): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = (this.request = new XMLHttpRequest());
      request.open('POST', upload.url);
      request.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) this.progress.value = event.loaded / event.total;
      });
      request.addEventListener('load', () => (request.status < 300 ? resolve() : reject(new Error(`the storage refused it (HTTP ${request.status})`))));
      request.addEventListener('error', () => reject(new Error('the connection failed; check it and choose the photo again')));
      request.addEventListener('abort', () => reject(new Error('the upload was abandoned')));
      request.addEventListener('loadend', () => {
        if (this.request === request) this.request = undefined;
      });
      const form = new FormData();
      for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
      form.append('file', file);
      request.send(form);
    });
  }

  /** Polls until processing is done; undefined once the upload is no longer `current` (replaced, removed, or the editor left). */
  private async untilProcessed(id: string, current: () => boolean): Promise<MediaStatus | undefined> {
    const deadline = Date.now() + GIVE_UP_MS;
    for (;;) {
      if (!current()) return undefined;
      const media = await api.media(id);
      if (media.status !== 'processing') return media;
      if (Date.now() > deadline) throw new Error('processing is taking too long; try the photo again');
      await wait(POLL_MS);
    }
  }
}
