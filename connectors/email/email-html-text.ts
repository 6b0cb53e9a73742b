import sanitizeHtml from 'sanitize-html';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/**
 * The readable text of an HTML-only mail, for the conversation view and search. Works on the
 * sanitised HTML (no script text, no tracking URLs) and keeps line structure: block ends and
 * <br> become line breaks, links keep their address in parentheses when it differs from the text.
 */
export function emailHtmlToText(html: string): string {
  const marked = sanitizeHtml(html, {
    allowedTags: ['br', 'p', 'div', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'a', 'td', 'th'],
    allowedAttributes: { a: ['href'] },
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'xmp', 'iframe', 'object', 'embed'],
  });
  const text = marked
    .replace(/<a href="([^"]*)">([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => (href && !label.includes(href.replace(/^mailto:/, '')) ? `${label} (${href})` : label))
    .replace(/<\/t[dh]>/gi, '\t')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6]|blockquote|pre|table)>/gi, '\n')
    .replace(/<li>/gi, '\n• ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#39|amp|lt|gt|quot|apos|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? '');
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
