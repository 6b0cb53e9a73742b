import { describe, expect, it } from 'vitest';
import { interpolate } from './lang.js';
import { en } from './messages.en.js';
import { esMX } from './messages.es-mx.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  it('have the same keys in es-MX and en, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(esMX).sort());
    for (const [key, text] of [...Object.entries(esMX), ...Object.entries(en)]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(esMX) as (keyof typeof esMX)[]) expect(placeholders(en[key]), key).toEqual(placeholders(esMX[key]));
  });

  it('name the agent states as the contact center does', () => {
    expect([esMX['state.available'], esMX['state.lunch'], esMX['state.training'], esMX['state.coaching'], esMX['state.personal'], esMX['state.not_ready'], esMX['state.offline'], esMX['state.after_contact_work']]).toEqual([
      'Disponible',
      'Comida',
      'Capacitación',
      'Coaching/Retroalimentación',
      'Personal',
      'No disponible',
      'Desconectado',
      'Trabajo posterior (ACW)',
    ]);
    expect(esMX['thread.note']).toBe('Nota interna — no la ve el ciudadano');
  });

  it('interpolates named values and leaves unknown ones visible', () => {
    expect(interpolate('Expira en {seconds} s', { seconds: 7 })).toBe('Expira en 7 s');
    expect(interpolate('Hola {name}', {})).toBe('Hola {name}');
  });
});
