/** A child of `h`: an element, text, or nothing (skipped). */
export type Child = Node | string | false | null | undefined;

type Attributes = Record<string, string | boolean | undefined>;

/**
 * Makes an element. Attributes are set with setAttribute (strings) or as bare attributes (true);
 * text is always a text node, never parsed as HTML, so nothing typed or answered can inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.filter((c): c is Node | string => c !== false && c !== null && c !== undefined));
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

const live = () => byId('status');

/** Says something to screen reader users (and shows it): the outcome of an action. */
export function announce(message: string): void {
  const region = live();
  // Cleared first so that the same message twice is announced twice.
  region.textContent = '';
  window.setTimeout(() => (region.textContent = message), 50);
}

/** Replaces the page's main content with a view and moves focus to its heading. */
export function showView(title: string, ...content: Node[]): HTMLHeadingElement {
  const heading = h('h1', { tabindex: '-1' }, title);
  const main = byId('main');
  main.replaceChildren(heading, ...content);
  document.title = `${title} · Newsroom · Pressline`;
  heading.focus();
  return heading;
}
