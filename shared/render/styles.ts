import { createHash } from 'node:crypto';
import { placeholderPaletteCss } from './picture.js';

/**
 * The whole stylesheet, inlined so an article arrives in one round trip (and the CSP can allow it
 * by hash alone). Logical properties (margin-inline, border-inline-start, inset-inline-start) make
 * one sheet right for both LTR and RTL pages. System fonts only: no font download on a cheap phone.
 */
export const STYLES = `
:root{color-scheme:light dark;--fg:#1a1a1a;--muted:#595959;--bg:#fff;--rule:#ddd;--accent:#b3001b;--sans:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-family:Georgia,"Times New Roman",serif;line-height:1.6}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--muted:#b0b0b0;--bg:#121212;--rule:#333;--accent:#ff8a8a}}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font-size:1.125rem;overflow-wrap:break-word;-webkit-text-size-adjust:100%}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px}
.skip:focus{inset-inline-start:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:1}
.site-header,.site-footer,main{margin-inline:auto;padding-inline:1rem;max-width:42rem}
.site-header,.site-footer,main.index{max-width:64rem}
.site-header{border-bottom:1px solid var(--rule);padding-block:.75rem}
.brand{font:700 1.5rem/1.2 var(--sans);color:var(--fg);text-decoration:none}
.site-footer{border-top:1px solid var(--rule);margin-top:3rem;padding-block:1rem;font:.875rem var(--sans);color:var(--muted)}
h1,h2,h3{font-family:var(--sans);line-height:1.2}
h1{font-size:clamp(1.75rem,5vw,2.5rem);margin:.25rem 0 .75rem}
h2{font-size:1.375rem;margin-top:2rem}
.kicker{font:700 .875rem var(--sans);text-transform:uppercase;letter-spacing:.04em;margin:1.5rem 0 0}
.kicker a{text-decoration:none}
.standfirst{font-size:1.25rem;color:var(--muted);margin:0 0 1rem}
.meta{font:.9rem var(--sans);color:var(--muted);margin:0 0 1.5rem}
.byline{font-weight:600;color:var(--fg)}
figure{margin:0 0 1.5rem}
figure img,.thumb img{display:block;width:100%;height:auto;background:var(--rule)}
.thumb{display:block;margin-bottom:.5rem}
${placeholderPaletteCss()}
figcaption{font:.875rem/1.4 var(--sans);color:var(--muted);padding-top:.5rem}
.credit{white-space:nowrap;text-transform:uppercase;letter-spacing:.03em;margin-inline-start:.5ch}
blockquote{margin:1.5rem 0;padding-inline-start:1rem;border-inline-start:4px solid var(--accent);font-style:italic}
:lang(ar) blockquote,:lang(fa) blockquote{font-style:normal}
table{border-collapse:collapse;width:100%;font:.9rem var(--sans)}th,td{border:1px solid var(--rule);padding:.25rem .5rem;text-align:start}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem;font:.875rem var(--sans)}
.tags a{display:inline-block;padding:.25rem .625rem;border:1px solid var(--rule);border-radius:1rem;text-decoration:none}
.short-link{font:.9rem var(--sans);border-top:1px solid var(--rule);padding-top:1rem;margin-top:2rem}
.corrections{font:.9rem var(--sans);border-inline-start:4px solid var(--accent);padding-inline-start:1rem;margin-top:2rem}.corrections h2{font-size:1rem;margin:0}.corrections ul{margin:.25rem 0;padding-inline-start:1rem}
.teasers{list-style:none;padding:0;margin:0;display:grid;gap:0 2rem}
.teasers>li{border-bottom:1px solid var(--rule);padding-block:1rem}
.teasers h2{margin:0 0 .25rem;font-size:1.25rem}
.teasers h2 a{color:var(--fg);text-decoration:none}.teasers h2 a:hover{text-decoration:underline}
.teasers p{margin:.25rem 0}
.teasers .standfirst{font-size:1rem}
.teasers .meta{margin:0}
.pager{display:flex;justify-content:space-between;gap:1rem;font-family:var(--sans);margin-top:1.5rem}
.pager [rel=next]{margin-inline-start:auto}
@media (min-width:48rem){.teasers{grid-template-columns:repeat(2,1fr)}.teasers>li:first-child{grid-column:1/-1}.teasers>li:first-child h2{font-size:2rem}}
@media (min-width:64rem){body{font-size:1.1875rem}.teasers{grid-template-columns:repeat(3,1fr)}}
@media print{.site-header,.site-footer,.skip,.tags,.pager{display:none}:root{color-scheme:light;--fg:#000;--muted:#333;--accent:#000}body{font-size:11pt;background:#fff}a{text-decoration:none}main{max-width:none}figure{break-inside:avoid}h1,h2{break-after:avoid}}
`.replace(/\n/g, '');

/** The CSP hash that lets this one inline stylesheet apply, and nothing else. */
export const STYLES_CSP_HASH = `'sha256-${createHash('sha256').update(STYLES, 'utf8').digest('base64')}'`;
