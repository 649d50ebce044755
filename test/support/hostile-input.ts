import fc from 'fast-check';
import type { Article } from '../../shared/article/article.js';
import { articlePath, slugify } from '../../shared/article/slug.js';

/**
 * Generators of hostile input for property tests and the hostile-request corpus: text with markup,
 * scripting URLs in every spelling, Markdown links, controls, bidi overrides and odd Unicode; stored
 * articles made of it; request paths with encoded, malformed and doubled segments.
 */

/** What attackers and careless pasting put in text: markup, scripting URLs in every spelling, Markdown links, controls, bidi, odd Unicode. */
export const PAYLOADS = [
  '<script>alert(1)</script>',
  '</script><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><a href=javascript:alert(1)>x</a>",
  'javascript:alert(1)',
  ' JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  '&#106;avascript:alert(1)',
  '&#x6A;avascript&colon;alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1) "t")',
  '[click](data:text/html,<script>alert(1)</script>)',
  '[click](<javascript:alert(1)>)',
  '[x](java&#x09;script:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](%6Aavascript:alert(1))',
  '<javascript:alert(1)>',
  '<https://x.example/"onmouseover="alert(1)>',
  '[x]: javascript:alert(1)\n\n[x]',
  '![x](javascript:alert(1))',
  '![x](https://tracker.example/pixel.png)',
  '[x](https://example.com/"onmouseover="alert(1))',
  '[x](</script><script>alert(1)</script>)',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<object data="data:text/html,x"></object>',
  '<base href="javascript:/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<style>*{background:url(javascript:alert(1))}</style>',
  '<div style="background:url(javascript:alert(1))">',
  '<svg><script>alert(1)</script></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<template><script>alert(1)</script></template>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<textarea></textarea><script>alert(1)</script>',
  '<title></title><script>alert(1)</script>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?xml version="1.0"?>',
  '<!DOCTYPE x [<!ENTITY e "x">]>&e;',
  '&',
  '&amp;',
  '&lt;script&gt;',
  '"',
  "'",
  '`${alert(1)}`',
  '{{constructor.constructor("alert(1)")()}}',
  '# heading <script>',
  '| a | b |\n|---|---|\n| <script> | [x](javascript:1) |',
  '```\n<script>alert(1)</script>\n```',
  '    <script>alert(1)</script>',
  '> <img src=x onerror=alert(1)>',
  '~~<script>~~',
  '\u0000',
  '\u0001',
  '\u000B',
  '\u001B',
  '\u007F',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202E',
  '\u202D',
  '\u2066',
  '\u2069',
  '\u200B',
  '\uFEFF',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDC00',
  '\uD83D\uDE00',
  '👨‍👩‍👧',
  'غزة',
  'עברית',
  '𒀀𒀁𒀂',
  'e\u0301\u0301\u0301',
  '\r\n',
  '\r',
  '\t',
];

const fragment = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  // Long single words: slugs and URL segments are cut to a length, possibly inside a character.
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('غ', 'ز', 'ة', '𒀀', '😀', 'a', 'é'), minLength: 30, maxLength: 70 }) },
);
export const hostileText = (maxParts = 6) => fc.array(fragment, { minLength: 1, maxLength: maxParts }).map((parts) => parts.join(''));

const section = fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,8})?$/).filter((s) => !['api', 's', 'media', 'tags', 'authors', 'page', 'feed', 'atom', 'sitemap', 'sitemaps'].includes(s));
const language = fc.constantFrom('en', 'en-GB', 'ar', 'he', 'fa', 'ur', 'fr', 'pt-BR', 'zh-Hant-TW', 'ar-EG', 'yi');

const photo = (mediaId: string, alt: string, caption: string, credit: string): NonNullable<Article['leadImage']> => ({
  mediaId,
  width: 1200,
  height: 800,
  placeholder: '#6b6e73',
  renditions: [320, 640, 1200].flatMap((width) =>
    (['avif', 'webp', 'jpeg'] as const).map((format) => ({ key: `media/${mediaId}/tok-${width}.${format === 'jpeg' ? 'jpg' : format}`, format, width, height: Math.round((width * 2) / 3), bytes: 1000 })),
  ),
  crops: (['16x9', '4x3', '1x1'] as const).map((ratio) => ({ key: `media/${mediaId}/tok-${ratio}.jpg`, ratio, width: 1200, height: 675 })),
  alt,
  caption,
  credit,
});

/** A stored article with hostile text in every field a reporter writes. */
export const hostileArticle = fc
  .record({
    headline: hostileText(),
    standfirst: fc.option(hostileText(), { nil: undefined }),
    byline: fc.option(hostileText(3), { nil: undefined }),
    tags: fc.array(hostileText(3), { maxLength: 4 }),
    body: hostileText(12),
    section,
    language,
    image: fc.option(fc.record({ alt: hostileText(3), caption: hostileText(3), credit: hostileText(2) }), { nil: undefined }),
    status: fc.constantFrom('published' as const, 'removed' as const),
    corrected: fc.boolean(),
  })
  .map(({ headline, standfirst, byline, tags, body, section, language, image, status, corrected }): Article => {
    const id = '6f1c1a52-1b7e-4b8e-9a43-3c2d5e0f7a10';
    const publishedAt = '2024-04-07T09:30:00.000Z';
    return {
      id,
      version: corrected ? 2 : 1,
      status,
      path: articlePath(section, new Date(publishedAt), slugify(headline) || `article-${id.slice(0, 8)}`),
      shortCode: '7kq2m9x',
      headline,
      ...(standfirst === undefined ? {} : { standfirst }),
      section,
      ...(byline === undefined ? {} : { byline }),
      language,
      tags,
      body,
      ...(image ? { leadImage: photo('0b7d2b0e-6f0a-4a57-9d43-2b1f3c4d5e6f', image.alt, image.caption, image.credit) } : {}),
      publishedAt,
      updatedAt: corrected ? '2024-04-07T11:02:00.000Z' : publishedAt,
      createdBy: { keyId: 'k', name: 'Reporter', role: 'reporter' },
    };
  });

/** Request paths: the site's own shapes, with hostile, encoded, malformed and doubled segments. */
const segment = fc.oneof(
  fc.constantFrom('tags', 'authors', 'page', '2', '51', 'feed.xml', 'atom.xml', 'index.html', 'world', '2024', '04', '07', 'sitemaps', 'articles-2024-04.xml', '', '.', '..'),
  fc.constantFrom('%2e%2e', '%2F', '%5C', '%00', '%ZZ', '%', '%E2%80%AE', '%F0%9F%98%80', '%ED%A0%80', 'javascript:alert(1)', '<script>', '%3Cscript%3E', '\\', 'Gaza', 'GAZA', 'غزة', '%D8%BA%D8%B2%D8%A9', '%22onmouseover=%22'),
  hostileText(2).map((text) => {
    try {
      return encodeURIComponent(text);
    } catch {
      return text;
    }
  }),
);
export const requestPath = fc
  .record({ segments: fc.array(segment, { minLength: 0, maxLength: 7 }), slash: fc.boolean(), leading: fc.constantFrom('/', '//', '/\\') })
  .map(({ segments, slash, leading }) => leading + segments.join('/') + (slash && segments.length ? '/' : ''));

