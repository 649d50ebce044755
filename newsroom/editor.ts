import { LIMITS } from '../shared/article/limits.js';
import { NEWSROOM_SECTIONS } from '../shared/article/sections.js';
import { api, ApiError, problemText, type ArticleStatus, type Me, type Outcome, type StoredArticle } from './api.js';
import { announce, byId, h, showView } from './dom.js';
import { clearFieldError, showFieldError } from './field-errors.js';
import { LeadPhoto } from './photo.js';
import { takeDownDialog } from './take-down-dialog.js';
import { LivePreview } from './preview.js';
import { isoToLocal, localToIso, NEWSROOM_TIME_ZONE, utcText, ZONE_IS_THE_NEWSROOMS, zonedText } from './time.js';

const n = (value: number) => value.toLocaleString('en');

/** Where each field of the API's answers is shown: its path (`leadImage.alt`, `tags.3`) → the form field. */
const FIELD_OF_PATH: Array<[RegExp, string]> = [
  [/^headline$/, 'f-headline'],
  [/^standfirst$/, 'f-standfirst'],
  [/^section$/, 'f-section'],
  [/^byline$/, 'f-byline'],
  [/^tags(\.|$)/, 'f-tags'],
  [/^language$/, 'f-language'],
  [/^body$/, 'f-body'],
  [/^leadImage\.alt$/, 'f-alt'],
  [/^leadImage\.caption$/, 'f-caption'],
  [/^leadImage\.credit$/, 'f-credit'],
  [/^leadImage/, 'f-photo'],
  [/^publishedAt$/, 'f-publish-at'],
  [/^correction$/, 'f-correction'],
  [/^slug$/, 'f-slug'],
  [/^note$/, 'f-note'],
];
const ALL_FIELDS = [...new Set(FIELD_OF_PATH.map(([, id]) => id))];

interface Article {
  id?: string;
  version?: number;
  status?: ArticleStatus;
  url?: string;
  shortUrl?: string;
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** A labelled field with its hint (the limits) and its error slot. */
function field(id: string, label: string, control: Control, hint: string): HTMLDivElement {
  control.id = id;
  control.name = id.slice(2);
  control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), h('p', { id: `${id}-hint`, class: 'hint' }, hint), control, h('p', { id: `${id}-error`, class: 'error', hidden: true }));
}

const input = (type = 'text') => h('input', { type, autocomplete: 'off' });
const textarea = (rows: number) => h('textarea', { rows: String(rows) });
const value = (id: string) => byId<HTMLInputElement>(id).value;

/**
 * The editor for one article (a new one when `id` is undefined). `leaving` is aborted when the
 * person goes anywhere else (another view, signing out): the preview and the photo stop with it.
 */
export async function showEditor(me: Me, id: string | undefined, backToList: () => void, leaving: AbortSignal): Promise<void> {
  const stored = id ? await api.get(id).catch((error: unknown) => error) : undefined;
  // Left while the article loaded: the view now shown is another's.
  if (leaving.aborted) return;
  if (stored instanceof Error) {
    announce(`Could not open the article: ${problemText(stored)}`);
    return;
  }
  const article: Article = {};

  const section = h('select', {}, h('option', { value: '' }, 'Choose a section'), ...NEWSROOM_SECTIONS.map((s) => h('option', { value: s }, s)));
  const fileInput = h('input', { type: 'file', accept: 'image/*' });
  const photo = new LeadPhoto('f-photo', () => preview.update());
  const publishAt = input('datetime-local');
  const publishAtUtc = h('output', { id: 'f-publish-at-utc', for: 'f-publish-at' });
  const dropZone = h('div', { class: 'drop-zone' }, field('f-photo', 'Photo', fileInput, 'JPEG, PNG, WebP or AVIF, up to 40 MB: choose a file or drop it here. Processing starts when it arrives.'), photo.progress, photo.status, photo.image, photo.remove);
  const correctionField = field('f-correction', 'Correction note', textarea(3), `Shown to readers under the article, dated. Up to ${n(LIMITS.correctionChars)} characters.`);
  const slugField = field('f-slug', 'URL slug', input(), `Editors only: the last part of the article’s URL (lowercase letters, digits and hyphens, up to ${n(LIMITS.slugChars)} characters). Changing it moves the article; the old URL redirects for good.`);
  let currentSlug = '';
  const noteField = field('f-note', 'Note to the reporter', textarea(3), 'Needed to return an article: what to change. Up to 2,000 characters.');
  const actions = h('div', { class: 'actions' });
  const problem = h('div', { id: 'form-problem', class: 'problem', role: 'alert', hidden: true });
  const conflict = h('div', { id: 'conflict', class: 'problem', hidden: true });
  const statusLine = h('p', { id: 'article-status', class: 'article-status' });
  const links = h('section', { class: 'published-links', 'aria-labelledby': 'links-heading', hidden: true });

  const form = h(
    'form',
    { id: 'article-form', novalidate: true, class: 'article-form' },
    field('f-headline', 'Headline', input(), `Required. Up to ${n(LIMITS.headlineChars)} characters.`),
    field('f-standfirst', 'Standfirst', textarea(3), `Optional: the summary under the headline. Up to ${n(LIMITS.standfirstChars)} characters.`),
    field('f-section', 'Section', section, 'Required: the part of the site it appears in.'),
    field('f-byline', 'Byline', input(), `Optional: who wrote it, e.g. AFP. Up to ${n(LIMITS.bylineChars)} characters.`),
    field('f-tags', 'Tags', input(), `Optional, separated by commas. Up to ${n(LIMITS.tags)} tags of ${n(LIMITS.tagChars)} characters.`),
    field('f-language', 'Language', input(), `A language tag such as en, ar or pt-BR (up to ${LIMITS.languageChars} characters); Arabic and Hebrew pages read right to left.`),
    field('f-body', 'Body', textarea(18), `Required. Markdown: a blank line between paragraphs, ## for a subheading, > for a quote, - for a list. Up to ${n(LIMITS.bodyChars)} characters.`),
    h(
      'fieldset',
      { class: 'photo' },
      h('legend', {}, 'Lead photo'),
      dropZone,
      field('f-alt', 'Alt text', input(), `What the photo shows, for readers who cannot see it. Needed with a photo; up to ${n(LIMITS.altChars)} characters.`),
      field('f-caption', 'Caption', textarea(2), `Needed with a photo; up to ${n(LIMITS.captionChars)} characters.`),
      field('f-credit', 'Credit', input(), `Who took it, e.g. AFP. Needed with a photo; up to ${n(LIMITS.creditChars)} characters.`),
    ),
    field('f-publish-at', 'Publish at', publishAt, `In ${ZONE_IS_THE_NEWSROOMS ? 'the newsroom’s' : 'your'} time zone, ${NEWSROOM_TIME_ZONE}. Leave empty to publish now; an earlier time back-dates the article (wire copy), a later one schedules it (Publish does too).`),
    publishAtUtc,
    correctionField,
    slugField,
    noteField,
    actions,
  );
  const preview = new LivePreview(() => submission({ forPreview: true }));
  const dialog = takeDownDialog();
  leaving.addEventListener(
    'abort',
    () => {
      preview.stop();
      photo.stop();
    },
    { once: true },
  );

  // ---- what is sent ----
  // Publish at is the truth: empty publishes now, earlier back-dates, later schedules (as the API
  // decides). A correction alone never sends it: it would move a published article's date.
  function submission(options: { forPreview?: boolean; draft?: boolean; withTime?: boolean; correction?: boolean } = {}): Record<string, unknown> {
    const text = (id: string) => value(id);
    const optional = (id: string) => (text(id).trim() ? text(id) : undefined);
    const tags = text('f-tags').split(',').map((t) => t.trim()).filter(Boolean);
    const when = localToIso(publishAt.value);
    const sendTime = when !== undefined && options.withTime !== false;
    // Only a processed photo can be attached (Publish waits for one still processing; a draft is saved without it).
    const words = { alt: text('f-alt'), caption: text('f-caption'), credit: text('f-credit') };
    const photoWords = !options.forPreview || (words.alt.trim() && words.caption.trim() && words.credit.trim());
    return {
      headline: text('f-headline'),
      ...(optional('f-standfirst') ? { standfirst: text('f-standfirst') } : {}),
      section: section.value,
      ...(optional('f-byline') ? { byline: text('f-byline') } : {}),
      ...(text('f-language').trim() ? { language: text('f-language').trim() } : {}),
      tags,
      body: text('f-body'),
      ...(photo.mediaId && photo.state === 'ready' && photoWords ? { leadImage: { mediaId: photo.mediaId, ...words } } : {}),
      ...(sendTime ? { publishedAt: when } : {}),
      ...(options.draft ? { status: 'draft' } : {}),
      ...(options.correction && optional('f-correction') ? { correction: text('f-correction') } : {}),
      ...(options.correction && !slugField.hidden && text('f-slug').trim() && text('f-slug').trim() !== currentSlug ? { slug: text('f-slug').trim() } : {}),
    };
  }

  // ---- what is shown ----
  function render(): void {
    const { status } = article;
    const editor = me.role === 'editor';
    const review = me.reviewRequired === true && !editor;
    statusLine.textContent = status ? `Status: ${status} · version ${article.version ?? '?'}` : 'Not saved yet.';
    correctionField.hidden = status !== 'published';
    slugField.hidden = !(editor && status === 'published');
    // Filled with the article's slug when it has a (new) one; what an editor typed otherwise stays.
    const slug = article.url ? (new URL(article.url).pathname.split('/').filter(Boolean).pop() ?? '') : '';
    if (slug !== currentSlug) byId<HTMLInputElement>('f-slug').value = currentSlug = slug;
    noteField.hidden = !(editor && (status === 'submitted' || status === 'scheduled'));
    const buttons: HTMLButtonElement[] = [];
    const button = (label: string, run: () => Promise<void>, kind = '') => {
      const b = h('button', { type: 'button', class: kind }, label);
      b.addEventListener('click', () => void act(b, run));
      buttons.push(b);
    };
    if (!status || status === 'draft') {
      button('Save draft', saveDraft);
      button(review ? 'Submit for review' : 'Publish', publish, 'primary');
      button('Schedule', schedule);
    } else if (status === 'submitted') {
      button('Save changes', saveChanges);
      if (editor) {
        button('Approve', publish, 'primary');
        button('Schedule', schedule);
        button('Return', returnToReporter);
      }
    } else if (status === 'scheduled') {
      button('Save changes', saveChanges);
      if (editor) button('Return', returnToReporter);
    } else if (status === 'published') {
      button('Correct', correct, 'primary');
    }
    if (editor && article.id && status !== 'removed') button('Take down', takeDown, 'danger');
    actions.replaceChildren(...buttons);
    form.querySelectorAll<Control>('input, textarea, select').forEach((c) => (c.disabled = status === 'removed'));
    renderLinks();
  }

  function renderLinks(): void {
    if (!article.url || !article.shortUrl || (article.status !== 'published' && article.status !== 'scheduled')) {
      links.hidden = true;
      return;
    }
    const live = article.status === 'published';
    const when = localToIso(publishAt.value);
    links.replaceChildren(
      h('h2', { id: 'links-heading', tabindex: '-1' }, live ? 'Published' : 'Scheduled'),
      h('p', {}, live ? 'Share these links:' : `These links work from ${when ? zonedText(when) : 'its publication time'}:`),
      h('dl', {}, ...linkRow('Article URL', article.url, 'article URL'), ...linkRow('Short link', article.shortUrl, 'short link')),
    );
    links.hidden = false;
  }

  function linkRow(term: string, url: string, what: string): HTMLElement[] {
    const copy = h('button', { type: 'button', class: 'copy' }, 'Copy', h('span', { class: 'visually-hidden' }, ` ${what}`));
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(url).then(
        () => announce(`Copied the ${what}.`),
        () => announce(`Could not copy; select the ${what} and copy it yourself.`),
      );
    });
    return [h('dt', {}, term), h('dd', {}, h('a', { href: url }, url), ' ', copy)];
  }

  function showOutcome(outcome: Outcome, message: string): void {
    Object.assign(article, { id: outcome.id, version: outcome.version, status: outcome.status, url: outcome.url, shortUrl: outcome.shortUrl });
    const title = `Edit: ${value('f-headline').trim() || 'untitled'}`;
    byId('main').querySelector('h1')!.textContent = title;
    document.title = `${title} · Newsroom · Pressline`;
    render();
    announce(message);
    if (!links.hidden) byId('links-heading').focus();
  }

  // ---- acting ----
  async function act(button: HTMLButtonElement, run: () => Promise<void>): Promise<void> {
    for (const id of ALL_FIELDS) clearFieldError(id);
    problem.hidden = true;
    conflict.hidden = true;
    actions.querySelectorAll('button').forEach((b) => (b.disabled = true));
    try {
      await run();
    } catch (error) {
      failed(error);
    } finally {
      actions.querySelectorAll('button').forEach((b) => (b.disabled = false));
      // The buttons are redrawn for the new status: focus goes back to the same place, the first action.
      if (!document.activeElement || document.activeElement === document.body) (button.isConnected ? button : (actions.querySelector('button') ?? byId('main'))).focus();
    }
  }

  function failed(error: unknown): void {
    if (error instanceof ApiError && error.status === 412 && article.id) return offerReload(problemText(error));
    const fields = error instanceof ApiError ? error.fields : [];
    const placed: string[] = [];
    const elsewhere: string[] = [];
    for (const f of fields) {
      const id = FIELD_OF_PATH.find(([path]) => path.test(f.path))?.[1];
      if (id && !byId(id).closest('[hidden]')) {
        showFieldError(id, placed.includes(id) ? `${byId(`${id}-error`).textContent} ${f.message}` : f.message);
        placed.push(id);
      } else elsewhere.push(f.message);
    }
    const message = problemText(error);
    problem.replaceChildren(h('p', {}, placed.length ? `${message} The fields marked below say what to change.` : message), ...(elsewhere.length ? [h('ul', {}, ...elsewhere.map((m) => h('li', {}, m)))] : []));
    problem.hidden = false;
    const first = ALL_FIELDS.find((id) => placed.includes(id));
    if (first) byId(first).focus();
    else announce(message);
  }

  function offerReload(message: string): void {
    const reload = h('button', { type: 'button' }, 'Reload, keeping what I typed');
    reload.addEventListener('click', () => {
      void api.get(article.id!).then(
        (latest) => {
          Object.assign(article, { version: latest.version, status: latest.status });
          conflict.hidden = true;
          render();
          announce(`Reloaded: the article is now at version ${latest.version} (${latest.status}). What you typed is unchanged; save or publish it again.`);
          actions.querySelector('button')?.focus();
        },
        (error: unknown) => failed(error),
      );
    });
    conflict.replaceChildren(h('p', { role: 'alert' }, `${message} Nothing of yours was saved.`), reload);
    conflict.hidden = false;
    reload.focus();
  }

  async function photoSettled(): Promise<void> {
    if (photo.state === 'uploading' || photo.state === 'processing') {
      announce('Waiting for the photo to finish processing…');
      await photo.whenSettled();
    }
    if (photo.state === 'rejected') throw new Error('The photo was refused: choose another file, or press “Remove the photo” to go without one.');
  }

  async function saveDraft(): Promise<void> {
    const body = submission({ draft: !article.id });
    const outcome = article.id ? await api.update(article.id, article.version!, body) : await api.create(body);
    const waiting = photo.state === 'uploading' || photo.state === 'processing' ? ' The photo is still processing: it is attached when you save again or publish.' : '';
    showOutcome(outcome, `Draft saved (version ${outcome.version}).${waiting}`);
  }

  async function saveChanges(): Promise<void> {
    await photoSettled();
    const outcome = await api.update(article.id!, article.version!, submission());
    showOutcome(outcome, `Changes saved (version ${outcome.version}).`);
  }

  async function publish(): Promise<void> {
    await photoSettled();
    let outcome: Outcome;
    if (!article.id) outcome = await api.create(submission());
    else {
      const saved = await api.update(article.id, article.version!, submission());
      Object.assign(article, { version: saved.version });
      outcome = await api.publish(article.id, saved.version);
    }
    const said: Record<ArticleStatus, string> = {
      published: 'Published. The links are below.',
      scheduled: `Scheduled: it goes live at ${localToIso(publishAt.value) ? zonedText(localToIso(publishAt.value)!) : 'its time'}.`,
      submitted: 'Submitted for review: an editor will publish it.',
      draft: 'Saved as a draft.',
      removed: 'This article was taken down.',
    };
    showOutcome(outcome, said[outcome.status]);
  }

  async function schedule(): Promise<void> {
    const when = localToIso(publishAt.value);
    if (!when || Date.parse(when) <= Date.now()) {
      showFieldError('f-publish-at', 'To schedule, choose a date and time in the future.');
      byId('f-publish-at').focus();
      return;
    }
    await publish();
  }

  async function returnToReporter(): Promise<void> {
    const outcome = await api.returnToReporter(article.id!, article.version!, value('f-note'));
    showOutcome(outcome, 'Returned to the reporter as a draft, with your note.');
  }

  async function correct(): Promise<void> {
    await photoSettled();
    const noted = value('f-correction').trim() !== '';
    const outcome = await api.update(article.id!, article.version!, submission({ withTime: false, correction: true }));
    byId<HTMLTextAreaElement>('f-correction').value = '';
    showOutcome(outcome, `Corrected (version ${outcome.version}): the page shows the change${noted ? ' and your correction note' : ''}.`);
  }

  async function takeDown(): Promise<void> {
    const reason = await dialog.confirm();
    if (reason === undefined) return announce('Not taken down.');
    const outcome = await api.takeDown(article.id!, reason);
    Object.assign(article, { version: outcome.version, status: 'removed', url: undefined, shortUrl: undefined });
    render();
    announce('Taken down: the page, the short link and the photo are gone; the URL answers 410.');
  }

  // ---- wiring ----
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) photo.start(file);
  });
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    if (event.dataTransfer) fileInput.files = event.dataTransfer.files;
    photo.start(file);
  });
  const showUtc = () => {
    const when = localToIso(publishAt.value);
    publishAtUtc.textContent = when ? `That is ${utcText(when)}.` : '';
  };
  publishAt.addEventListener('input', showUtc);
  form.addEventListener('input', () => preview.update());
  form.addEventListener('change', () => preview.update());
  form.addEventListener('submit', (event) => event.preventDefault());

  const loaded = stored as StoredArticle | undefined;
  showView(loaded ? `Edit: ${loaded.headline}` : 'New article', statusLine, links, problem, conflict, h('div', { class: 'editor' }, form, preview.region), dialog.element);
  const back = h('button', { type: 'button', class: 'link' }, 'Back to the articles');
  back.addEventListener('click', backToList);
  byId('main').append(h('p', {}, back));

  byId<HTMLInputElement>('f-language').value = 'en';
  if (loaded) fill(loaded);
  render();
  showUtc();
  if (loaded) preview.update();

  function fill(a: StoredArticle): void {
    Object.assign(article, { id: a.id, version: a.version, status: a.status });
    if (a.status === 'published' || a.status === 'scheduled') Object.assign(article, { url: location.origin + a.path, shortUrl: `${location.origin}/s/${a.shortCode}` });
    const set = (id: string, v: string | undefined) => (byId<HTMLInputElement>(id).value = v ?? '');
    set('f-headline', a.headline);
    set('f-standfirst', a.standfirst);
    if (![...section.options].some((o) => o.value === a.section)) section.append(h('option', { value: a.section }, a.section));
    section.value = a.section;
    set('f-byline', a.byline);
    set('f-tags', a.tags.join(', '));
    set('f-language', a.language);
    set('f-body', a.body);
    const time = a.status === 'published' || a.status === 'scheduled' ? a.publishedAt : a.requestedPublishedAt;
    set('f-publish-at', time ? isoToLocal(time) : '');
    if (a.leadImage) {
      set('f-alt', a.leadImage.alt);
      set('f-caption', a.leadImage.caption);
      set('f-credit', a.leadImage.credit);
      const jpeg = a.leadImage.renditions.filter((r) => r.format === 'jpeg').sort((x, y) => x.width - y.width).find((r) => r.width >= 640);
      photo.showStored(a.leadImage.mediaId, jpeg ? `${location.origin}/${jpeg.key}` : undefined);
    }
  }
}
