import { describe, expect, it } from 'vitest';
import { noticeSide } from './notice-text.js';

describe('noticeSide (a reviewer notice in the page language)', () => {
  it('keeps the Spanish or the English half', () => {
    const text = 'Su documento «Factura» fue aprobado. / Your document "Factura" was approved.';
    expect(noticeSide(text, 'es-MX')).toBe('Su documento «Factura» fue aprobado.');
    expect(noticeSide(text, 'en')).toBe('Your document "Factura" was approved.');
  });

  it('cuts at the middle separator when the reason itself has " / "', () => {
    const text = 'Rechazado. Motivo: luz / agua vencido / Rejected. Reason: luz / agua vencido';
    expect(noticeSide(text, 'es-MX')).toBe('Rechazado. Motivo: luz / agua vencido');
    expect(noticeSide(text, 'en')).toBe('Rejected. Reason: luz / agua vencido');
  });

  it('shows a text that is not split in two halves as it is', () => {
    expect(noticeSide('Aviso sin traducción', 'en')).toBe('Aviso sin traducción');
    expect(noticeSide('a / b / c', 'es-MX')).toBe('a / b / c');
  });
});
