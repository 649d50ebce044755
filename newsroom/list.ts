import { api, problemText, type DeskLine, type Me } from './api.js';
import { announce, h, showView } from './dom.js';
import { zonedText } from './time.js';

const STATUSES = ['draft', 'submitted', 'scheduled', 'published', 'removed'] as const;

/** The articles a reporter wrote (an editor: everyone's), newest first, filterable by status. */
export function showList(me: Me, open: (id: string) => void, status = ''): void {
  const filter = h('select', { id: 'status-filter', name: 'status' }, h('option', { value: '' }, 'All'), ...STATUSES.map((s) => h('option', { value: s, selected: s === status }, s)));
  const form = h('form', { class: 'filter', novalidate: true }, h('label', { for: 'status-filter' }, 'Status'), filter, h('button', { type: 'submit' }, 'Show'));
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Show more');
  const table = h(
    'table',
    { class: 'desk' },
    h('caption', {}, me.role === 'editor' ? 'Everyone’s articles, newest first' : 'Your articles, newest first'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Headline'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Links'))),
    body,
  );
  const empty = h('p', { hidden: true }, 'No articles yet.');
  let cursor: string | undefined;

  async function load(reset: boolean): Promise<void> {
    if (reset) {
      body.replaceChildren();
      cursor = undefined;
    }
    try {
      const page = await api.list(filter.value, cursor);
      body.append(...page.articles.map((line) => row(line, open)));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      empty.hidden = body.children.length > 0;
      table.hidden = body.children.length === 0;
      if (reset) announce(`${body.children.length}${cursor ? ' or more' : ''} articles${filter.value ? ` with status ${filter.value}` : ''}.`);
    } catch (error) {
      announce(`Could not load the articles: ${problemText(error)}`);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(true);
  });
  more.addEventListener('click', () => void load(false));
  showView('Articles', form, table, empty, more);
  void load(true);
}

function row(line: DeskLine, open: (id: string) => void): HTMLTableRowElement {
  const edit = h('button', { type: 'button', class: 'link' }, line.headline);
  edit.addEventListener('click', () => open(line.id));
  const links = h('ul', { class: 'links' });
  if (line.url) links.append(h('li', {}, h('a', { href: line.url }, line.status === 'published' ? 'Page' : 'Page (when live)')));
  if (line.previewUrl) links.append(h('li', {}, h('a', { href: line.previewUrl }, 'Private preview')));
  const time = line.status === 'published' || line.status === 'scheduled' ? line.publishedAt : line.updatedAt;
  return h(
    'tr',
    {},
    h('td', {}, edit, h('span', { class: 'by' }, ` by ${line.createdBy.name}, ${line.section}`)),
    h('td', {}, h('span', { class: `badge ${line.status}` }, line.status)),
    h('td', {}, h('time', { datetime: time }, zonedText(time))),
    h('td', {}, links),
  );
}
