import { describe, expect, it } from 'vitest';
import type { BotModelSummary } from '../../../../hub/src/bots/console/console.contract.js';
import { canEditBot, dayRangeToIso, exportFileName, lastThirtyDays, percent, perIntentRows, seconds, testableVersions, workingVersion } from './console-format.js';

const training = { durationMs: 1830, accuracy: 0.934, folds: 5, perIntent: { saludo: { correct: 9, total: 10 }, folio: { correct: 5, total: 10 }, vacia: { correct: 0, total: 0 } }, trainedAt: '2026-11-26T10:00:00Z' };
function summary(version: number, status: BotModelSummary['status'], trained: boolean): BotModelSummary {
  return { id: `m${version}`, campaignId: 'c', version, status, name: 'Modelo', intents: 2, phrases: 20, note: null, training: trained ? training : null, createdAt: '', createdBy: null, promotedAt: null };
}

describe('who edits the bot', () => {
  it('admins anywhere, trainers of the campaign; supervisors and other trainers only read', () => {
    expect(canEditBot({ roles: ['admin'], campaignIds: [] }, 'c1')).toBe(true);
    expect(canEditBot({ roles: ['trainer'], campaignIds: ['c1'] }, 'c1')).toBe(true);
    expect(canEditBot({ roles: ['trainer'], campaignIds: ['c2'] }, 'c1')).toBe(false);
    expect(canEditBot({ roles: ['supervisor', 'agent'], campaignIds: ['c1'] }, 'c1')).toBe(false);
  });
});

describe('figures', () => {
  it('formats the training summary’s duration and accuracy', () => {
    expect(seconds(1830, 'es-MX')).toBe('1.8 s');
    expect(seconds(12, 'en')).toBe('0.1 s');
    expect(percent(0.934, 'es-MX')).toBe('93.4 %');
    expect(percent(1, 'en', 0)).toBe('100 %');
  });

  it('lists per-intent accuracy worst first; an intent with nothing tested counts as 0', () => {
    expect(perIntentRows(training).map((r) => [r.intent, r.accuracy])).toEqual([
      ['vacia', 0],
      ['folio', 0.5],
      ['saludo', 0.9],
    ]);
  });

  it('names the export file after the model and version', () => {
    expect(exportFileName({ name: 'Atención Ciudadana (IMSS)', version: 3 })).toBe('atencion-ciudadana-imss-v3.json');
    expect(exportFileName({ name: '¡¡!!', version: 1 })).toBe('modelo-v1.json');
  });
});

describe('versions', () => {
  it('opens the newest draft, else production, else the newest', () => {
    expect(workingVersion([summary(1, 'archived', true), summary(2, 'production', true), summary(3, 'draft', false)])?.version).toBe(3);
    expect(workingVersion([summary(1, 'archived', true), summary(2, 'production', true)])?.version).toBe(2);
    expect(workingVersion([summary(1, 'archived', true)])?.version).toBe(1);
    expect(workingVersion([])).toBeNull();
  });

  it('offers trained versions to the test box, production first', () => {
    const list = testableVersions([summary(1, 'archived', true), summary(3, 'draft', false), summary(4, 'draft', true), summary(2, 'production', true)]);
    expect(list.map((m) => m.version)).toEqual([2, 4, 1]);
  });
});

describe('metrics range', () => {
  it('defaults to the last 30 days including today', () => {
    expect(lastThirtyDays(new Date(2026, 10, 26, 15))).toEqual({ from: '2026-10-28', to: '2026-11-26' });
  });

  it('turns whole days into instants and refuses bad or reversed dates', () => {
    const iso = dayRangeToIso({ from: '2026-11-01', to: '2026-11-01' });
    expect(iso && new Date(iso.to).getTime() - new Date(iso.from).getTime()).toBe(24 * 3600 * 1000 - 1);
    expect(dayRangeToIso({ from: '2026-11-02', to: '2026-11-01' })).toBeNull();
    expect(dayRangeToIso({ from: '', to: '2026-11-01' })).toBeNull();
  });
});
