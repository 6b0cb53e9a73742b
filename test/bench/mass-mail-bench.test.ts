import { describe, expect, it } from 'vitest';
import { renderMassMailReport, summaryLines } from '../../bench/src/mass-mail/report.js';
import { runMassMailBench } from '../../bench/src/mass-mail/run-mass-mail.js';
import { benchTestRun, testReport } from './bench-test-run.js';

/**
 * Keeps the mass-mail benchmark (npm run bench:mass-mail) compiling and working at a tiny scale:
 * the SMTP sink child, the hub's dispatcher and the raw nodemailer baseline, and the report.
 * Asserts what was delivered (each recipient once, by both), never timings.
 */
describe('mass-mail benchmark, small', () => {
  const { config } = benchTestRun('mmtest');

  it('sends every recipient once through the dispatcher and through the raw loop, and reports both', async () => {
    const result = await runMassMailBench({ settings: { recipients: 150, concurrency: 3, ratePerMinute: 100_000 }, config, log: () => undefined });
    expect(result.hub).toMatchObject({ messages: 150, duplicates: 0, notSent: 0 });
    expect(result.raw.messages).toBe(150);
    expect(result.hub.connections).toBeGreaterThan(0);
    expect(result.hub.connections).toBeLessThanOrEqual(3);
    expect(result.messageBytes).toBeGreaterThan(3000);
    expect(result.ratio).toBeGreaterThan(0);
    expect(result.hubPerDay).toBeCloseTo(result.hub.perSecond * 86_400);

    const report = testReport(result);
    const markdown = renderMassMailReport(report);
    expect(markdown).toContain('| **Messages per second** |');
    expect(markdown).toContain('Seed requirement (seed-digest §1.4, §10): ≥ 60,000 e-mails a day');
    expect(summaryLines(report).join('\n')).toMatch(/ratio hub ÷ raw +\d/);
  }, 60_000);
});
