import { describe, expect, it } from 'vitest';
import { html, jsonForScript, stripForbiddenCharacters } from '../../shared/render/html.js';
import { renderMarkdown } from '../../shared/render/markdown.js';

describe('html template', () => {
  it('escapes every interpolated value', () => {
    expect(html`<p title="${'"><script>'}">${'<img src=x onerror=alert(1)>'}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;">&lt;img src=x onerror=alert(1)&gt;</p>',
    );
  });

  it('keeps JSON-LD inside its script element', () => {
    const json = jsonForScript({ headline: '</script><script>alert(1)</script>' }).value;
    expect(json).not.toContain('</script');
    expect(JSON.parse(json)).toEqual({ headline: '</script><script>alert(1)</script>' });
  });

  it('writes DEL, C1 controls and noncharacters in JSON-LD as \\u escapes that parse back to the same text', () => {
    const text = 'a\u007F\u0085\u009F\uFDD0\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{10FFFF}b\u{1F600}';
    const json = jsonForScript({ text }).value;
    expect(json).toBe('{"text":"a\\u007f\\u0085\\u009f\\ufdd0\\ufdef\\ufffe\\uffff\\ud83f\\udffe\\udbff\\udfffb\u{1F600}"}');
    expect(JSON.parse(json)).toEqual({ text });
  });
});

describe('stripForbiddenCharacters', () => {
  it('removes controls, lone surrogates and noncharacters of every plane, and keeps everything else', () => {
    expect(stripForbiddenCharacters('a\u0000\u0008\u000B\u001F\u007F\u0080\u009F\uDC00\uD800\uFDD0\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{1FFFF}\u{8FFFE}\u{10FFFE}\u{10FFFF}b')).toBe('ab');
    expect(stripForbiddenCharacters('\t\n\r \u00A0\uFDCF\uFDF0\uFFFD\u{1F600}\u{1FFFD}\u{10FFFD}\u{20000}')).toBe('\t\n\r \u00A0\uFDCF\uFDF0\uFFFD\u{1F600}\u{1FFFD}\u{10FFFD}\u{20000}');
  });
});

describe('renderMarkdown', () => {
  it('shows raw HTML as text', () => {
    expect(renderMarkdown('Hi <script>alert(1)</script> <img src=x onerror=alert(1)>')).toBe(
      '<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>\n',
    );
  });

  it('drops javascript: links', () => {
    expect(renderMarkdown('[click](javascript:alert(1))')).not.toContain('<a');
  });

  it('starts body headings at h2, below the page headline', () => {
    expect(renderMarkdown('# Big\n\n## Cairo talks')).toBe('<h2>Big</h2>\n<h2>Cairo talks</h2>\n');
  });
});
