import sanitizeHtml from 'sanitize-html';
import { stripControls } from './email-controls.js';

const SAFE_COLOR = [/^#[0-9a-f]{3,8}$/i, /^[a-z]{3,20}$/i, /^rgba?\(\s*[\d.%\s,]+\)$/i];
const SAFE_LENGTH = [/^-?\d+(\.\d+)?(px|pt|em|rem|%)?$/i];

/**
 * What an agent's browser may render of a citizen's HTML mail (issue 5 item 7). Nothing runs
 * (scripts, handlers, forms, frames, plugins) and nothing loads from the network: remote
 * images are tracking pixels and `data:` URIs are a script vector in old engines, so only
 * `cid:` images (parts of the same mail, served by the hub) survive. Inline CSS is reduced
 * to a few properties whose values cannot carry `url()` or `expression()`.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup', 'small', 'mark',
    'blockquote', 'q', 'pre', 'code', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
    'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'colgroup', 'col', 'a', 'img', 'center', 'abbr', 'address',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign', 'width'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'width', 'scope'],
    table: ['border', 'cellpadding', 'cellspacing', 'width', 'align'],
    col: ['span', 'width'],
    ol: ['start', 'type'],
    '*': ['dir', 'lang', 'align', 'style'],
  },
  allowedStyles: {
    '*': {
      color: SAFE_COLOR,
      'background-color': SAFE_COLOR,
      'text-align': [/^(left|right|center|justify)$/i],
      'font-weight': [/^(normal|bold|bolder|lighter|\d{3})$/i],
      'font-style': [/^(normal|italic|oblique)$/i],
      'text-decoration': [/^(none|underline|line-through|overline)$/i],
      'font-size': SAFE_LENGTH,
      width: SAFE_LENGTH,
      padding: [/^(-?\d+(\.\d+)?(px|pt|em|%)?\s*){1,4}$/i],
      border: [/^\d+(px)?\s+(solid|dashed|dotted)\s+(#[0-9a-f]{3,8}|[a-z]{3,20})$/i],
    },
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['cid'] },
  allowProtocolRelative: false,
  // Their text is code or metadata, never something the citizen wrote for us to read.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'xmp', 'iframe', 'object', 'embed'],
  transformTags: {
    a: (tagName, attribs) => {
      // The citizen's own rel/target are replaced, never merged: "opener" would hand us window.opener.
      const { href, rel: _rel, target: _target, ...rest } = attribs;
      const safe = href !== undefined && /^\s*(https?:|mailto:)/i.test(href);
      return { tagName, attribs: { ...rest, ...(safe ? { href: href.trim(), rel: 'noopener noreferrer nofollow', target: '_blank' } : {}) } };
    },
    // Relative and remote sources would load from the inbox's origin or a tracker: keep cid: only.
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      return { tagName, attribs: { ...rest, ...(src !== undefined && /^\s*cid:/i.test(src) ? { src: src.trim() } : {}) } };
    },
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs['src'],
};

export function sanitizeEmailHtml(html: string): string {
  return stripControls(sanitizeHtml(html, OPTIONS));
}
