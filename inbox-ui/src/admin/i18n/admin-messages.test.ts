import { describe, expect, it } from 'vitest';
import { AFTER_HOURS_MODES, AGENT_STATES, CHANNEL_CLASSES, CHANNEL_KINDS, ROLES, STRATEGIES } from '../admin-limits.js';
import { DAY_KEYS } from '../schedule-form.js';
import { adminTranslator } from './admin-i18n.js';
import { adminEn } from './admin-messages.en.js';
import { adminEsMX, type AdminMessageKey } from './admin-messages.es-mx.js';
import { esMX } from '../../i18n/messages.es-mx.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('admin console catalogues', () => {
  it('have the same keys in es-MX and en, none empty', () => {
    expect(Object.keys(adminEn).sort()).toEqual(Object.keys(adminEsMX).sort());
    for (const [key, text] of [...Object.entries(adminEsMX), ...Object.entries(adminEn)]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(adminEsMX) as AdminMessageKey[]) expect(placeholders(adminEn[key]), key).toEqual(placeholders(adminEsMX[key]));
  });

  it('name every value the console builds keys from', () => {
    // Keys made with template strings (`role.${r}`) are only checked by the compiler when the
    // union is exact; this spells each one out.
    const built = [
      ...ROLES.map((r) => `role.${r}`),
      ...AGENT_STATES.map((s) => `state.${s}`),
      ...CHANNEL_CLASSES.map((c) => `class.${c}`),
      ...STRATEGIES.map((s) => `strategy.${s}`),
      ...AFTER_HOURS_MODES.map((m) => `afterHours.${m}`),
      ...CHANNEL_KINDS.map((k) => `kind.${k}`),
      ...DAY_KEYS.map((d) => `day.${d}`),
      ...['lft74', 'extra', 'annual'].map((s) => `holidays.source.${s}`),
    ];
    for (const key of built) expect(Object.keys(adminEsMX), key).toContain(key);
  });

  it('names agent states exactly as the workspace does', () => {
    for (const s of AGENT_STATES) expect(adminEsMX[`state.${s}`], s).toBe(esMX[`state.${s}`]);
  });

  it('translates with values, in the chosen language', () => {
    expect(adminTranslator('es-MX')('v.range', { min: 1, max: 99 })).toBe('Debe estar entre 1 y 99.');
    expect(adminTranslator('en')('v.range', { min: 1, max: 99 })).toBe('Must be between 1 and 99.');
    expect(adminTranslator('es-MX')('overflow.step', { n: 2 })).toBe('Paso 2');
  });
});
