import { createHash } from 'node:crypto';

/**
 * The whole stylesheet, inlined so an article arrives in one round trip. Logical properties
 * (margin-inline, border-inline-start) make one sheet right for both LTR and RTL pages.
 */
export const STYLES = `
:root{color-scheme:light dark;--fg:#1a1a1a;--muted:#595959;--bg:#fff;--rule:#ddd;--accent:#b3001b;font-family:Georgia,"Times New Roman",serif;line-height:1.6}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--muted:#b0b0b0;--bg:#121212;--rule:#333;--accent:#ff6b6b}}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font-size:1.125rem;overflow-wrap:break-word}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px}
.skip:focus{inset-inline-start:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:1}
.site-header,.site-footer,main{max-width:42rem;margin-inline:auto;padding-inline:1rem}
.site-header{border-bottom:1px solid var(--rule);padding-block:.75rem}
.site-header a{font:700 1.5rem/1.2 system-ui,sans-serif;color:var(--fg);text-decoration:none}
.site-footer{border-top:1px solid var(--rule);margin-top:3rem;padding-block:1rem;font:.875rem system-ui,sans-serif;color:var(--muted)}
h1,h2,h3{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.2}
h1{font-size:clamp(1.75rem,5vw,2.5rem);margin:1.5rem 0 .75rem}
h2{font-size:1.375rem;margin-top:2rem}
.standfirst{font-size:1.25rem;color:var(--muted);margin:0 0 1rem}
.meta{font:.9rem system-ui,sans-serif;color:var(--muted);margin:0 0 1.5rem}
.meta .byline{font-weight:600;color:var(--fg)}
figure{margin:0 0 1.5rem}
figure img{display:block;width:100%;height:auto;background:var(--rule)}
figcaption{font:.875rem/1.4 system-ui,sans-serif;color:var(--muted);padding-top:.5rem}
figcaption .credit{white-space:nowrap;text-transform:uppercase;letter-spacing:.03em;margin-inline-start:.5ch}
blockquote{margin:1.5rem 0;padding-inline-start:1rem;border-inline-start:4px solid var(--accent);font-style:italic}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem;font:.875rem system-ui,sans-serif}
.tags a{display:inline-block;padding:.25rem .625rem;border:1px solid var(--rule);border-radius:1rem;text-decoration:none}
.short-link{font:.9rem system-ui,sans-serif;border-top:1px solid var(--rule);padding-top:1rem;margin-top:2rem}
.teasers{list-style:none;padding:0}
.teasers li{border-bottom:1px solid var(--rule);padding-block:1rem}
.teasers h2{margin:0 0 .25rem;font-size:1.25rem}
.teasers p{margin:.25rem 0}
.pager{display:flex;justify-content:space-between;font-family:system-ui,sans-serif}
@media (min-width:64rem){body{font-size:1.1875rem}}
@media print{.site-header,.site-footer,.skip,.tags,.pager{display:none}body{font-size:11pt;color:#000;background:#fff}a{color:#000;text-decoration:none}.short-link a::after{content:""}main{max-width:none}}
`.replace(/\n/g, '');

/** The CSP hash that lets this one inline stylesheet apply, and nothing else. */
export const STYLES_CSP_HASH = `'sha256-${createHash('sha256').update(STYLES, 'utf8').digest('base64')}'`;
