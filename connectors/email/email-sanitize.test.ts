import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './email-sanitize.js';

describe('sanitizeEmailHtml', () => {
  it('drops scripts, styles and their contents', () => {
    const out = sanitizeEmailHtml('<style>p{color:red}</style><script>alert("x")</script><p>Hola</p><noscript>nada</noscript>');
    expect(out).toBe('<p>Hola</p>');
  });

  it('drops every on* handler and images that are not cid:', () => {
    const out = sanitizeEmailHtml('<p onclick="x()" onmouseover="y()">a</p><img src="x" onerror="alert(1)"><img src="cid:logo@x" onload="z()" alt="logo">');
    expect(out).not.toMatch(/on(click|mouseover|error|load)/i);
    expect(out).toBe('<p>a</p><img alt="logo" src="cid:logo@x" />');
  });

  it('loads nothing remote: http(s), protocol-relative and data: images all go', () => {
    const out = sanitizeEmailHtml('<img src="https://t.example.net/p.gif"><img src="//t.example.net/p.gif"><img src="data:image/png;base64,AAAA"><img src="/relative.png">');
    expect(out).toBe('');
  });

  it('keeps http(s) and mailto links, opening apart and without referrer', () => {
    expect(sanitizeEmailHtml('<a href="https://www.gob.mx/tramites">trámites</a>')).toBe(
      '<a href="https://www.gob.mx/tramites" rel="noopener noreferrer nofollow" target="_blank">trámites</a>',
    );
    expect(sanitizeEmailHtml('<a href="mailto:ayuda@example.gob.mx" target="_self" rel="opener">ayuda</a>')).toBe(
      '<a href="mailto:ayuda@example.gob.mx" rel="noopener noreferrer nofollow" target="_blank">ayuda</a>',
    );
  });

  it('removes javascript:, data: and relative hrefs, even obfuscated', () => {
    const links = ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'jav&#x09;ascript:alert(1)', 'java\nscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', '/interno'];
    for (const href of links) {
      const out = sanitizeEmailHtml(`<a href="${href}">x</a>`);
      expect(out, href).toBe('<a>x</a>');
    }
  });

  it('svg and math with scripts leave no element behind', () => {
    const out = sanitizeEmailHtml('<svg onload="alert(1)"><script>alert(2)</script><a xlink:href="javascript:alert(3)"><text>t</text></a></svg><math><mi href="javascript:alert(4)">m</mi></math>');
    expect(out).not.toMatch(/<svg|<math|<script|javascript|onload/i);
  });

  it('keeps safe inline CSS only: no expression(), no url(), no behaviour', () => {
    const out = sanitizeEmailHtml('<div style="width: expression(alert(1)); color: red; background-image: url(https://t.example.net/x.png); behavior: url(x.htc)">s</div><p style="color:#c00; font-weight: bold; text-align: center">ok</p>');
    expect(out).toBe('<div style="color:red">s</div><p style="color:#c00;font-weight:bold;text-align:center">ok</p>');
  });

  it('nested and conditional comments cannot smuggle a script out', () => {
    const out = sanitizeEmailHtml('<!-- <!-- --> <script>alert(1)</script> --> <p>después</p><!--[if IE]><script>alert(2)</script><![endif]-->');
    expect(out).not.toMatch(/<script|alert|<!--/i);
    expect(out).toContain('<p>después</p>');
  });

  it('drops forms, controls, frames, plugins and document-level tags', () => {
    const out = sanitizeEmailHtml(
      '<form action="https://evil.example"><input name="curp"><button>Enviar</button></form><iframe src="https://evil.example">x</iframe><object data="a.swf"></object><embed src="b.swf"><meta http-equiv="refresh" content="0;url=https://evil.example"><link rel="stylesheet" href="https://evil.example/x.css"><base href="https://evil.example/">',
    );
    expect(out).not.toMatch(/<(form|input|button|iframe|object|embed|meta|link|base)\b/i);
    expect(out).not.toContain('evil.example');
  });

  it('keeps basic formatting, lists and tables', () => {
    const html = '<h2>Requisitos</h2><ul><li><b>INE</b></li><li><i>CURP</i></li></ul><table border="1"><tr><th>Trámite</th><td colspan="2">Licencia</td></tr></table><blockquote>cita</blockquote>';
    expect(sanitizeEmailHtml(html)).toBe(html);
  });

  it('a split tag does not reassemble into a script', () => {
    expect(sanitizeEmailHtml('<scr<script>ipt>alert(1)</script>')).not.toMatch(/<script/i);
  });
});
