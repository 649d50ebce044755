import { SITE } from '../site.js';
import { html, type Html } from './html.js';

/** The site's own words around an article: what the newsroom's template says, not the reporter. */
export interface SiteWords {
  /** The first link on every page, for keyboard and screen-reader users. */
  skipToContent: string;
  /** Before the time of the latest change. */
  updated: string;
  /** The accessible name of the list of tags. */
  tags: string;
  /** Before the article's short link; the colon is part of it, as punctuation differs by language. */
  shortLink: string;
}

const ENGLISH: SiteWords = { skipToContent: 'Skip to content', updated: 'Updated', tags: 'Tags', shortLink: 'Short link:' };

/**
 * The languages the site speaks, by primary language subtag. A language enters only with words
 * known to be right (a wrong translation is worse than English marked as English); the right-to-left
 * languages the site already lays out come first.
 */
const TRANSLATIONS: ReadonlyMap<string, SiteWords> = new Map([
  ['en', ENGLISH],
  ['ar', { skipToContent: 'انتقل إلى المحتوى', updated: 'آخر تحديث', tags: 'الوسوم', shortLink: 'رابط مختصر:' }],
  ['he', { skipToContent: 'דילוג לתוכן', updated: 'עודכן', tags: 'תגיות', shortLink: 'קישור מקוצר:' }],
  ['fa', { skipToContent: 'پرش به محتوا', updated: 'به‌روزرسانی', tags: 'برچسب‌ها', shortLink: 'پیوند کوتاه:' }],
]);

/** `ar` for `ar-EG`, `he` for the deprecated `iw`; the tag's first part when it is not valid BCP 47. */
function primaryLanguage(tag: string): string {
  try {
    return new Intl.Locale(tag).language;
  } catch {
    return tag.toLowerCase().split('-')[0] ?? '';
  }
}

export interface PageWords {
  words: SiteWords;
  /**
   * `lang="en"` when the words fell back to English on a page in another language, so a screen
   * reader switches voice for them; nothing when they are in the page's own language.
   */
  lang: Html | '';
}

/** The site's words for a page in `pageLanguage`: its own where the site has them, else English. */
export function siteWords(pageLanguage: string): PageWords {
  const words = TRANSLATIONS.get(primaryLanguage(pageLanguage));
  return words ? { words, lang: '' } : { words: ENGLISH, lang: html` lang="${SITE.language}"` };
}
