import { describe, expect, it } from 'vitest';
import { html, jsonForScript } from '../../shared/render/html.js';
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
