import { describe, expect, it } from 'vitest';
import { capturedFor, ivrSteps } from './screen-pop.query.js';

describe('screen pop helpers', () => {
  it('the IVR path in words: keys, speech and pass-through nodes', () => {
    expect(ivrSteps([{ node: 'horario', input: 'open' }, { node: 'aviso-privacidad' }, { node: 'menu-principal', input: '1' }, { node: 'menu_tramites', input: 'citas médicas' }])).toEqual([
      'Llamó en horario de atención',
      'Pasó por «aviso privacidad»',
      'En «menu principal» marcó 1',
      'En «menu tramites» dijo «citas médicas»',
    ]);
  });

  it('NSS and CURP are masked for agents, whole for supervisors; other data as captured', () => {
    const collected = { nss: '12345678903', curp: 'GOMA850315MDFRRN09', fecha_nacimiento: '1985-03-15' };
    expect(capturedFor({ roles: ['agent'] }, collected)).toEqual([
      { field: 'nss', value: '•••••••8903' },
      { field: 'curp', value: 'GOMA••••••••••••09' },
      { field: 'fecha_nacimiento', value: '1985-03-15' },
    ]);
    expect(capturedFor({ roles: ['supervisor'] }, collected).map((f) => f.value)).toEqual(['12345678903', 'GOMA850315MDFRRN09', '1985-03-15']);
  });
});
