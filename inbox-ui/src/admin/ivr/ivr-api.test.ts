import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error.js';
import { ivrProblemsOf } from './ivr-api.js';
import { ivrText } from './ivr-messages.js';

describe('IVR console helpers', () => {
  it('reads the Spanish problems of a refused tree, and nothing from other errors', () => {
    const refused = new ApiError(400, 'HUB_ERR_IVR_MODEL_INVALID', 'El menú telefónico tiene 1 problema', {
      problems: [{ path: 'start', message: 'El inicio apunta a «x», que no existe.' }, { bad: true }],
    });
    expect(ivrProblemsOf(refused)).toEqual([{ path: 'start', message: 'El inicio apunta a «x», que no existe.' }]);
    expect(ivrProblemsOf(new ApiError(403, 'HUB_ERR_FORBIDDEN_ROLE', 'no'))).toBeNull();
    expect(ivrProblemsOf(new Error('network'))).toBeNull();
  });

  it('speaks Spanish first, English second, with values filled in', () => {
    expect(ivrText('es-MX', 'saved', { version: 3 })).toBe('Borrador guardado (versión 3).');
    expect(ivrText('en', 'saved', { version: 3 })).toBe('Draft saved (version 3).');
  });
});
