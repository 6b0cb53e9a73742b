import { describe, expect, it } from 'vitest';
import { folioFromKeyed } from './folio-status.js';
import { payloadOf } from './pg-call-store.js';
import { screenPopText } from './screen-pop.js';

describe('voice core pure pieces', () => {
  it('rebuilds a folio from the digits keyed on the phone, with the campaign prefix', () => {
    expect(folioFromKeyed('20261126000123', 'DH')).toBe('DH-20261126-000123');
    expect(folioFromKeyed('202611261234567', 'DH')).toBe('DH-20261126-1234567');
    expect(folioFromKeyed(' co-20261126-000042 ', 'DH')).toBe('CO-20261126-000042');
    expect(folioFromKeyed('2026112600012', 'DH')).toBeNull();
    expect(folioFromKeyed('abc', 'DH')).toBeNull();
  });

  it('keeps the call’s own sid in every payload; another leg’s sid survives as legCallSid', () => {
    const at = new Date().toISOString();
    expect(payloadOf('CA1', { at, type: 'status', data: { status: 'ringing' } })).toEqual({ status: 'ringing', callSid: 'CA1' });
    expect(payloadOf('CA1', { at, type: 'participant_joined', data: { callSid: 'CA2', role: 'supervisor' } })).toEqual({ callSid: 'CA1', legCallSid: 'CA2', role: 'supervisor' });
  });

  it('writes the screen pop in Spanish: number, folio, the IVR path and what was keyed', () => {
    const text = screenPopText({
      from: '+525512345678',
      folio: 'DH-20261126-000001',
      path: [{ node: 'menu-principal', input: '1' }, { node: 'captura-nss' }],
      collected: { nss: '12345678903', fecha_nacimiento: '1985-03-15', otro: 'x' },
    });
    expect(text).toBe(
      [
        'Llamada telefónica de +525512345678 · folio DH-20261126-000001.',
        'Recorrido en el menú: menu-principal (1) → captura-nss.',
        'Datos capturados: NSS: •••••••8903; Fecha de nacimiento: 1985-03-15; otro: x.',
      ].join('\n'),
    );
    expect(screenPopText({ from: '+5255', folio: 'F', path: [], collected: {}, transferredFrom: 'Contribuyentes' })).toContain('Transferida desde la campaña Contribuyentes.\nRecorrido en el menú: pasó directo a la fila.\nSin datos capturados.');
  });
});
