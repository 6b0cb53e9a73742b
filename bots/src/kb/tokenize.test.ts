import { describe, expect, it } from 'vitest';
import { foldText, stem, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('folds case and accents but keeps ñ', () => {
    expect(foldText('PENSIÓN Año Cómo')).toBe('pension año como');
  });

  it('drops Spanish and English stop words', () => {
    expect(tokenize('¿Cómo puedo sacar el acta de nacimiento?')).toEqual(['sacar', 'acta', 'nacimient']);
    expect(tokenize('How do I pay the property tax?')).toEqual(['pay', 'property', 'tax']);
  });

  it('makes singular and plural forms meet', () => {
    expect(stem('citas')).toBe(stem('cita'));
    expect(stem('pensiones')).toBe(stem('pensión'.normalize('NFD').replace(/\p{M}/gu, '')));
    expect(stem('documentos')).toBe(stem('documento'));
    expect(stem('solicitudes')).toBe(stem('solicitud'));
    expect(stem('trámites'.normalize('NFD').replace(/\p{M}/gu, ''))).toBe(stem('tramite'));
  });

  it('strips common derivational suffixes', () => {
    expect(stem('registrado')).toBe(stem('registro'));
    expect(stem('actualizacion')).toBe('actualiz');
  });

  it('leaves short words and numbers alone', () => {
    expect(stem('mes')).toBe('mes');
    expect(tokenize('folio 2026 🙂')).toEqual(['foli', '2026']);
  });
});
