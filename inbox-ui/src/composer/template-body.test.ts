import { describe, expect, it } from 'vitest';
import { fillTemplate, invalidTemplateValue, missingPlaceholders, templatePlaceholders, templateSegments, templateVariableCount } from './template-body.js';

const body = 'Hola {{1}}, su folio {{2}} está listo. Gracias, {{1}}.';

describe('template bodies', () => {
  it('finds the numbered placeholders once each, in order', () => {
    expect(templatePlaceholders(body)).toEqual([1, 2]);
    expect(templatePlaceholders('Cita el {{ 3 }} a las {{10}}')).toEqual([3, 10]);
    expect(templatePlaceholders('Sin valores {{nombre}} ni {{0}}')).toEqual([]);
  });

  it('counts the values by the highest placeholder and names the gaps Meta rejects', () => {
    expect(templateVariableCount(body)).toBe(2);
    expect(templateVariableCount('Aviso sin variables')).toBe(0);
    expect(templateVariableCount('{{1}} y {{3}}')).toBe(3);
    expect(missingPlaceholders('{{1}} y {{3}}')).toEqual([2]);
    expect(missingPlaceholders(body)).toEqual([]);
  });

  it('previews the text with the values typed, keeping empty placeholders visible', () => {
    expect(fillTemplate(body, ['Ana', 'DH-20261126-000123'])).toBe('Hola Ana, su folio DH-20261126-000123 está listo. Gracias, Ana.');
    expect(fillTemplate(body, ['Ana', '  '])).toBe('Hola Ana, su folio {{2}} está listo. Gracias, Ana.');
    expect(templateSegments('Hola {{1}}.', [])).toEqual([
      { kind: 'text', text: 'Hola ' },
      { kind: 'value', n: 1, text: '{{1}}', filled: false },
      { kind: 'text', text: '.' },
    ]);
  });

  it('flags values WhatsApp refuses as template parameters', () => {
    expect(invalidTemplateValue('Calle 5 de Mayo 12')).toBe(false);
    expect(invalidTemplateValue('línea\notra')).toBe(true);
    expect(invalidTemplateValue('a\tb')).toBe(true);
    expect(invalidTemplateValue('a     b')).toBe(true);
  });
});
