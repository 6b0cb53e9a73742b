import { describe, expect, it } from 'vitest';
import { foldForSearch, interpretSearch } from './conversation-search.js';

describe('inbox search terms', () => {
  it('folds case and accents the way the SQL side does', () => {
    expect(foldForSearch('NÚÑEZ Gómez')).toBe('nunez gomez');
    expect(foldForSearch('Jose\u0301')).toBe('jose');
  });

  it('reads a query as every plausible kind at once', () => {
    expect(interpretSearch(' dh-2026 ')).toMatchObject({ folioPrefix: 'DH-2026', phoneDigits: null, namePart: 'dh-2026' });
    expect(interpretSearch('55 1234 5678')).toMatchObject({ folioPrefix: null, phoneDigits: '5512345678', phone: '+525512345678', namePart: null, emailPart: null });
    expect(interpretSearch('044 55 1234 5678').phone).toBe('+525512345678');
    expect(interpretSearch('maria@correo')).toMatchObject({ emailPart: 'maria@correo', namePart: null, phoneDigits: null });
    expect(interpretSearch('María López')).toMatchObject({ namePart: 'maria lopez', emailPart: null, folioPrefix: null });
    expect(interpretSearch('123')).toMatchObject({ phoneDigits: null, namePart: null, emailPart: null, folioPrefix: null });
  });
});
