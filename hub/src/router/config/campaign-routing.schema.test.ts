import { describe, expect, it } from 'vitest';
import { effectiveCapacity, parseAgentCapacityOverride, parseCampaignRouting } from './campaign-routing.schema.js';
import { formatProblems } from './routing-problem.js';
import { uuid } from './routing-config.fixtures.js';

const minimal = {
  schedule: {
    timeZone: 'America/Mexico_City',
    days: { mon: [{ open: '08:00', close: '20:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    holidays: 'closed',
  },
  holidays: { base: 'lft74', extra: [], removed: [] },
};

function problemsFor(patch: Record<string, unknown>): string {
  const result = parseCampaignRouting({ ...minimal, ...patch });
  if (result.ok) throw new Error('expected a problem');
  return formatProblems(result.problems);
}

describe('campaignRoutingSchema', () => {
  it("fills the issue's defaults: 4 chats, a call takes the seat, 10 emails, RONA 20 s, auto-logout 10 min", () => {
    const result = parseCampaignRouting(minimal);
    expect(result.ok && { ...result.value, schedule: undefined, holidays: undefined }).toEqual({
      capacity: { text: 4, voice: 1, email: 10 },
      afterContactWorkMaxSeconds: 120,
      autoAccept: false,
      offerTimeoutSeconds: 20,
      autoLogoutMinutes: 10,
      stickyHours: 24,
      billableStates: ['available', 'after_contact_work'],
      schedule: undefined,
      holidays: undefined,
    });
  });

  it('fills the missing classes of a partial capacity', () => {
    const result = parseCampaignRouting({ ...minimal, capacity: { text: 2 } });
    expect(result.ok && result.value.capacity).toEqual({ text: 2, voice: 1, email: 10 });
  });

  it.each([
    [{ capacity: { text: 0 } }, 'capacity.text: la capacidad de texto debe ser un entero entre 1 y 10 / text capacity must be an integer 1–10'],
    [{ capacity: { text: 11 } }, 'capacity.text: la capacidad de texto debe ser un entero entre 1 y 10 / text capacity must be an integer 1–10'],
    [{ capacity: { voice: 2 } }, 'capacity.voice: la capacidad de voz debe ser un entero entre 0 y 1 / voice capacity must be an integer 0–1'],
    [{ capacity: { email: 51 } }, 'capacity.email: la capacidad de correo debe ser un entero entre 0 y 50 / email capacity must be an integer 0–50'],
    [{ offerTimeoutSeconds: 4 }, 'offerTimeoutSeconds: el tiempo para aceptar debe estar entre 5 y 120 s / offer timeout must be 5–120 s'],
    [{ offerTimeoutSeconds: 121 }, 'offerTimeoutSeconds: el tiempo para aceptar debe estar entre 5 y 120 s / offer timeout must be 5–120 s'],
    [{ autoLogoutMinutes: 0 }, 'autoLogoutMinutes: el cierre de sesión por inactividad debe estar entre 1 y 240 min / auto-logout must be 1–240 min'],
    [{ stickyHours: -1 }, 'stickyHours: las horas de preferencia deben estar entre 0 (apagado) y 168 / sticky hours must be 0 (off)–168'],
    [{ afterContactWorkMaxSeconds: 3601 }, 'afterContactWorkMaxSeconds: el tiempo máximo de ACW debe estar entre 0 y 3600 s / ACW max must be 0–3600 s'],
    [{ autoAccept: 'sí' }, 'autoAccept: se esperaba verdadero o falso / expected boolean'],
    [{ billableStates: ['available', 'available'] }, 'billableStates: estado repetido / duplicate state'],
  ])('rejects %j', (patch, expected) => {
    expect(problemsFor(patch)).toBe(expected);
  });

  it('names the valid agent states when one is unknown (busy is derived, not a state)', () => {
    expect(problemsFor({ billableStates: ['busy'] })).toContain('billableStates.0: estado desconocido, use available, after_contact_work, lunch');
  });

  it('allows 0 for sticky routing (off) and for ACW (none), and a per-campaign billable set', () => {
    const result = parseCampaignRouting({ ...minimal, stickyHours: 0, afterContactWorkMaxSeconds: 0, billableStates: ['available'] });
    expect(result.ok).toBe(true);
  });

  it('passes schedule and holiday errors through with their own bilingual messages', () => {
    expect(problemsFor({ schedule: { ...minimal.schedule, timeZone: 'Mars/Olympus' } })).toContain('schedule.timeZone: Zona horaria IANA desconocida');
    expect(problemsFor({ holidays: { base: 'lft74', extra: [{ date: '2026-02-30', name: 'x' }], removed: [] } })).toContain('holidays.extra.0.date: Fecha inválida');
  });
});

describe('agentCapacityOverrideSchema', () => {
  it('keeps only the classes given, so the rest follows the campaign default', () => {
    const result = parseAgentCapacityOverride({ agentId: uuid(7), text: 6 });
    expect(result.ok && result.value).toEqual({ agentId: uuid(7), text: 6 });
    if (result.ok) expect(effectiveCapacity({ text: 4, voice: 1, email: 10 }, result.value)).toEqual({ text: 6, voice: 1, email: 10 });
    expect(effectiveCapacity({ text: 4, voice: 1, email: 10 }, undefined)).toEqual({ text: 4, voice: 1, email: 10 });
  });

  it('applies the campaign ranges', () => {
    const result = parseAgentCapacityOverride({ agentId: uuid(7), text: 12, voice: 0, email: -1 });
    expect(result.ok ? '' : formatProblems(result.problems)).toBe(
      'text: la capacidad de texto debe ser un entero entre 1 y 10 / text capacity must be an integer 1–10; ' +
        'email: la capacidad de correo debe ser un entero entre 0 y 50 / email capacity must be an integer 0–50',
    );
  });
});
