import { describe, expect, it } from 'vitest';
import { openDatabase } from '@ventanilla/hub';
import { runWidget, type WidgetSettings } from '../../bench/src/widget/run-widget.js';
import { brokenRun, renderWidgetReport, summaryLines } from '../../bench/src/widget/widget-report.js';
import { benchTestRun, testReport } from './bench-test-run.js';

/**
 * Keeps the widget benchmark (npm run bench:widget) compiling and working at a tiny scale: the
 * visitors' sessions and tokens, the hub (api + worker children) and the raw socket.io baseline
 * holding every visitor's /widget socket, memory samples, round trips from new visitors (pre-chat
 * form over HTTP) to an agent and back, the raw echo, and the report. Asserts what happened —
 * every socket held, every round trip complete, every message stored and sent — never timings.
 */
describe('widget benchmark, small', () => {
  const { env, config, children, removeLogAfterAll } = benchTestRun('widgettest');

  it('holds every visitor socket on the hub and the raw server and completes every round trip', async () => {
    const settings: WidgetSettings = {
      visitors: 40,
      clientProcesses: 1,
      connectConcurrency: 10,
      warmupSockets: 4,
      settleMs: 200,
      sample: 6,
      concurrency: 3,
      warmupRoundTrips: 2,
      timeoutMs: 10_000,
    };
    const result = await runWidget({ settings, env, config, log: () => undefined, children, fdLimit: { soft: 1024, hard: 1024 } });
    removeLogAfterAll(result.logFile);

    expect(result.fixtures.visitors).toBe(40);
    for (const held of [result.hub, result.raw]) {
      expect(held.connect).toMatchObject({ attempted: 40, connected: 40, failed: 0 });
      expect(held.memory.after.sockets).toBe(40);
      // Each socket: its own id room and its visitor:<id> room.
      expect(held.memory.after.rooms).toBe(80);
      expect(held.memory.after.rss).toBeGreaterThan(0);
      expect(Number.isFinite(held.memory.perSocket.heapUsed)).toBe(true);
      expect(held.fleets.every((f) => f.disconnects === 0)).toBe(true);
    }

    expect(result.prechat).toMatchObject({ created: 2 + 2 * 6, failed: 0 });
    expect(result.roundTrips.map((p) => [p.concurrency, p.attempted, p.completed, p.errors])).toEqual([
      [1, 6, 6, {}],
      [3, 6, 6, {}],
    ]);
    for (const phase of result.roundTrips) {
      for (const leg of [phase.ackMs, phase.storedMs, phase.replyAckMs, phase.deliveredMs]) expect(leg.count).toBe(6);
      // The agent cannot see a message before the visitor started sending it, nor the reverse.
      expect(phase.storedMs.min).toBeGreaterThan(0);
      expect(phase.deliveredMs.min).toBeGreaterThan(0);
    }
    expect(result.echo.map((e) => [e.concurrency, e.completed])).toEqual([
      [1, 6],
      [3, 6],
    ]);
    expect(brokenRun(result)).toBe(false);

    // What the round trips left behind: one conversation per visitor who wrote, each assigned to
    // the agent with the citizen's question stored and the agent's answer sent.
    const db = await openDatabase(config);
    try {
      const rows = await db.kysely
        .selectFrom('conversations as c')
        .innerJoin('messages as m', 'm.conversation_id', 'c.id')
        .select(['c.id', 'c.status', 'm.direction', 'm.status as messageStatus', 'm.text'])
        .execute();
      const conversations = new Set(rows.map((r) => r.id));
      expect(conversations.size).toBe(2 + 2 * 6);
      expect(rows.filter((r) => r.direction === 'inbound' && r.text?.startsWith('Consulta '))).toHaveLength(14);
      expect(rows.filter((r) => r.direction === 'outbound' && r.text?.startsWith('Respuesta ') && r.messageStatus === 'sent')).toHaveLength(14);
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['assigned']));
    } finally {
      await db.close();
    }

    const report = testReport(result, 2);
    const markdown = renderWidgetReport(report);
    expect(markdown).toContain('## 1. Memory per visitor socket');
    expect(markdown).toContain('## 2. Message round trip');
    expect(markdown).toContain('| **Ratio hub ÷ raw** |');
    expect(markdown).toContain('Raw socket.io emit round trip (baseline, 6 of 6)');
    expect(markdown).not.toContain('Broken run');
    expect(summaryLines(report).join('\n')).toMatch(/\(c\) agent POST → visitor's socket +\d/);
  }, 120_000);
});
