import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from '@ventanilla/connectors';
import { handleFetchedEmail } from '../../hub/src/email/handle-fetched-email.usecase.js';
import { loadEmailChannel } from '../../hub/src/email/email-channel.js';
import type { InboundJob } from '../../hub/src/queues/queues.js';
import { launchChromium, ROOT } from '../e2e/e2e-support.js';
import { rawMail } from '../email/email-harness.js';
import { createCampaign } from '../support/factories.js';
import { createEmailChannel } from '../support/mail-servers.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

/**
 * Issue 12: a citizen's HTML mail is sanitised before it is stored (connectors/email
 * email-sanitize.ts, sanitize-html with an allow-list). The oracle is a real browser, not the
 * sanitiser's own parser: each output is parsed by Chromium, which must find nothing that runs,
 * loads or navigates to script — and nothing may run when it is put into a live page.
 */
const OWASP_VECTORS: Record<string, string> = {
  'script tag': '<script>alert(1)</script>',
  'script with src': '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
  'nested script': '<scr<script>ipt>alert(1)</scr</script>ipt>',
  'double open': '<<SCRIPT>alert("XSS");//<</SCRIPT>',
  'img onerror': '<img src=x onerror=alert(1)>',
  'img javascript src': '<IMG SRC="javascript:alert(\'XSS\');">',
  'img mixed case': '<IMG SRC=JaVaScRiPt:alert(\'XSS\')>',
  'decimal entities': '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;">x</a>',
  'padded decimal entities': '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041">x</a>',
  'hex entities without semicolons': '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29">x</a>',
  'embedded tab': '<a href="jav&#x09;ascript:alert(1)">x</a>',
  'embedded newline': '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  'leading control characters': '<a href=" &#14;  javascript:alert(1);">x</a>',
  'named entity colon': '<a href="javascript&colon;alert(1)">x</a>',
  'vbscript': '<a href="vbscript:msgbox(1)">x</a>',
  'data html link': '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  'data svg image': '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  'malformed quotes': '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
  'body onload garbage': '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
  'unclosed img': '<img src=x onerror=alert(1)//',
  'unclosed iframe': '<iframe src=http://xss.rocks/scriptlet.html <',
  'svg onload': '<svg/onload=alert(1)>',
  'svg script': '<svg><script>alert(1)</script></svg>',
  'svg xlink': '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
  'svg style mutation': '<svg><style><img src=x onerror=alert(1)></style></svg>',
  'math mutation': '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  'math href': '<math href="javascript:alert(1)">x</math>',
  'noscript mutation': '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  'comment mutation': '<!--<img src="--><img src=x onerror=alert(1)//">',
  'conditional comment': '<!--[if gte IE 4]><SCRIPT>alert(1);</SCRIPT><![endif]-->',
  'style expression': '<div style="width: expression(alert(1));">x</div>',
  'style url javascript': '<div style="background-image: url(javascript:alert(1))">x</div>',
  'escaped style': '<div style="background:url(&#1;javascript:alert(1))">x</div>',
  'style tag import': '<STYLE>@import\'http://xss.rocks/xss.css\';</STYLE><p>x</p>',
  'meta refresh': '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">',
  'base href': '<BASE HREF="javascript:alert(1);//">',
  'object': '<object data="javascript:alert(1)"></object>',
  'embed': '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  'form action': '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">x</button></form>',
  'table background': '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  'input autofocus': '<input autofocus onfocus=alert(1)>',
  'details ontoggle': '<details open ontoggle=alert(1)>',
  'template': '<template><img src=x onerror=alert(1)></template>',
  'link stylesheet': '<link rel=stylesheet href="javascript:alert(1)">',
};

/** Tags the e-mail allow-list may return (connectors/email/email-sanitize.ts). */
const ALLOWED_TAGS = new Set(
  'p br div span b strong i em u s strike del ins sub sup small mark blockquote q pre code hr h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tfoot tr th td caption colgroup col a img center abbr address'.split(' '),
);

interface Finding {
  problems: string[];
  ran: number;
}

/** Parses `html` in Chromium (inert template), lists anything dangerous, then puts it in the live page and counts alerts. */
async function inspect(page: Page, html: string): Promise<Finding> {
  return page.evaluate(
    async ({ html, allowed }) => {
      const problems: string[] = [];
      const template = document.createElement('template');
      template.innerHTML = html;
      for (const el of Array.from(template.content.querySelectorAll('*'))) {
        const tag = el.localName;
        if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') problems.push(`foreign element ${tag}`);
        if (!allowed.includes(tag)) problems.push(`tag ${tag}`);
        for (const attr of Array.from(el.attributes)) {
          const name = attr.name.toLowerCase();
          // Browsers ignore control characters and spaces inside a URL scheme ("jav\tascript:").
          // eslint-disable-next-line no-control-regex -- stripping them is the point
          const value = attr.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
          if (name.startsWith('on')) problems.push(`handler ${name}`);
          if (['href', 'src', 'action', 'formaction', 'background', 'xlink:href', 'data', 'poster'].includes(name) && !/^(https?:|mailto:|cid:)/.test(value)) problems.push(`${name}=${attr.value}`);
          if (name === 'style' && /url\(|expression|javascript|@import|behavior/.test(value)) problems.push(`style=${attr.value}`);
        }
      }
      const w = window as unknown as { ran: number };
      w.ran = 0;
      const live = document.createElement('div');
      live.innerHTML = html;
      document.body.append(live);
      // A javascript: link that survived would run when clicked (the only links we click: others would navigate away).
      for (const a of Array.from(live.querySelectorAll('a'))) if (a instanceof HTMLAnchorElement && a.protocol === 'javascript:') a.click();
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 20)));
      live.remove();
      return { problems, ran: w.ran };
    },
    { html, allowed: [...ALLOWED_TAGS] },
  );
}

describe('inbound HTML sanitising (OWASP filter-evasion classics, checked in Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    // A blank page where any script that does run reports itself, and links cannot leave.
    await page.route('**/*', (route) => route.abort());
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.evaluate(() => {
      const w = window as unknown as { ran: number; alert: () => void; confirm: () => boolean; prompt: () => null; msgbox: () => void };
      w.ran = 0;
      w.alert = () => void (w.ran += 1);
      w.confirm = () => ((w.ran += 1), false);
      w.prompt = () => ((w.ran += 1), null);
      w.msgbox = () => void (w.ran += 1);
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the oracle sees the raw vectors as dangerous (it can tell)', async () => {
    const raw = await inspect(page, OWASP_VECTORS['img onerror']! + OWASP_VECTORS['svg onload']! + OWASP_VECTORS['decimal entities']!);
    expect(raw.problems.length).toBeGreaterThan(0);
    expect(raw.ran).toBeGreaterThan(0);
  });

  for (const [name, vector] of Object.entries(OWASP_VECTORS)) {
    it(`neutralises: ${name}`, async () => {
      const clean = sanitizeEmailHtml(`<p>Hola</p>${vector}<p>Adiós</p>`);
      const found = await inspect(page, clean);
      expect(found.problems, clean).toEqual([]);
      expect(found.ran, clean).toBe(0);
      // The citizen's own text survives around it.
      expect(clean).toContain('Hola');
    });
  }

  it('keeps ordinary mail formatting: paragraphs, lists, tables, safe links, cid images', () => {
    const html = '<p style="color: #c00">Buen día</p><ul><li>uno</li></ul><table><tbody><tr><td>a</td></tr></tbody></table><a href="https://www.gob.mx">gob.mx</a><img src="cid:firma@x" alt="firma">';
    const clean = sanitizeEmailHtml(html);
    expect(clean).toContain('<p style="color:#c00">Buen día</p>');
    expect(clean).toContain('<ul><li>uno</li></ul>');
    expect(clean).toContain('<a href="https://www.gob.mx" rel="noopener noreferrer nofollow" target="_blank">gob.mx</a>');
    expect(clean).toMatch(/<img (alt="firma" src="cid:firma@x"|src="cid:firma@x" alt="firma") \/>/);
  });
});

describe('the hub stores only sanitised HTML, and the inbox never renders HTML', () => {
  let h: TestHub;
  beforeAll(async () => {
    h = await createTestHub();
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  it('an HTML mail read from the mailbox is queued for ingest with its HTML sanitised and a plain-text body', async () => {
    const campaign = await createCampaign(h.ctx.db.kysely);
    const row = await createEmailChannel(h.ctx.db.kysely, campaign.id, { address: 'tramites@example.gob.mx', imap: { port: 1, user: 'x', password: 'x' }, smtp: { port: 1 } });
    const email = await loadEmailChannel(h.ctx, row.id);
    if (!email) throw new Error('the e-mail channel did not load');
    const messageId = `<${randomUUID()}@example.mx>`;
    const html = `<p>Solicito mi cita</p>${Object.values(OWASP_VECTORS).join('')}`;
    const outcome = await handleFetchedEmail(h.ctx, email, {
      uid: 3,
      uidValidity: 1n,
      source: Buffer.from(rawMail({ from: 'ana@example.mx', to: 'tramites@example.gob.mx', subject: 'Cita', html, messageId })),
    });
    expect(outcome).toBe('message');
    const jobs = await h.ctx.queues.inbound.getJobs(['waiting', 'delayed', 'prioritized']);
    const job = jobs.map((j) => j.data as InboundJob).find((d) => d.event.type === 'message' && d.event.email?.messageId === messageId);
    if (!job || job.event.type !== 'message') throw new Error('the mail was not queued');
    const stored = job.event.email?.html ?? '';
    expect(stored).toContain('Solicito mi cita');
    expect(stored).toBe(sanitizeEmailHtml(stored));
    expect(stored).not.toMatch(/<script|onerror|onload|javascript:|<svg|<math|<iframe|expression\(/i);
    expect(job.event.content.type === 'text' ? job.event.content.text : '').toContain('Solicito mi cita');
  });

  it('no inbox, widget or portal code injects HTML into the page (no dangerouslySetInnerHTML, innerHTML, srcdoc)', async () => {
    const root = join(ROOT, 'inbox-ui/src');
    const files = (await readdir(root, { recursive: true })).filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f));
    expect(files.length).toBeGreaterThan(50);
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8');
      if (/dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|srcdoc|srcDoc|insertAdjacentHTML|document\.write\(/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
