import { describe, expect, it } from 'vitest';
import { renderReport } from '../../bench/src/sockets/report.js';
import { runSockets, type SocketsSettings } from '../../bench/src/sockets/run-sockets.js';
import { benchTestRun, testReport } from './bench-test-run.js';

/**
 * Keeps the socket benchmark (npm run bench:sockets) compiling and working: the same code at a
 * tiny scale — staff seeded with tokens, the hub (HUB_ROLE=api child) and the raw socket.io
 * baseline, a client fleet, memory samples, targeted pushes through RealtimePublisher → Redis →
 * adapter and through a direct emit, and the report. Asserts delivery with no loss, never timings.
 */
describe('sockets benchmark, small', () => {
  const { env, config, children, removeLogAfterAll } = benchTestRun('socktest');

  it('connects every socket to the hub and to the raw server and delivers every targeted push once, to its agent', async () => {
    const settings: SocketsSettings = {
      sockets: 50,
      campaigns: 3,
      clientProcesses: 1,
      connectConcurrency: 10,
      warmupSockets: 5,
      rates: [100, 300],
      phaseSeconds: 1,
      warmupPushes: 20,
      stopAfterFailure: false,
      overloadRate: 0,
      settleMs: 200,
      servers: [
        { name: 'hub', role: 'hub', tweaks: [], push: 'all' },
        { name: 'raw', role: 'raw', tweaks: [], push: 'all' },
      ],
    };
    const result = await runSockets({ settings, env, config, log: () => undefined, children, fdLimit: { soft: 1024, hard: 1024 } });
    removeLogAfterAll(result.logFile);

    expect(result.fixtures.agents).toBe(50);
    expect(result.servers.map((s) => s.spec.name)).toEqual(['hub', 'raw']);
    for (const server of result.servers) {
      expect(server.connect.connected).toBe(50);
      expect(server.connect.failed).toBe(0);
      expect(server.memory.after.sockets).toBe(50);
      // Each socket: its agent room and one or two campaign rooms (plus its own id room).
      expect(server.memory.after.rooms).toBeGreaterThanOrEqual(50 + 3);
      expect(server.memory.after.rss).toBeGreaterThan(0);
      expect(Number.isFinite(server.memory.perSocket.heapUsed)).toBe(true);
      expect(server.push.map((p) => p.kind)).toEqual(['warmup', 'rate', 'rate']);
      for (const phase of server.push) {
        expect(phase.sent).toBe(phase.count);
        expect(phase.delivered).toBe(phase.count);
        expect(phase.lost).toBe(0);
        expect(phase.duplicates).toBe(0);
        expect(phase.misdelivered).toBe(0);
        expect(phase.strays).toBe(0);
        expect(phase.fromDueMs.count).toBe(phase.count);
        expect(phase.waitOutcome).toBe('complete');
      }
      expect(server.fleets.every((f) => f.disconnects === 0)).toBe(true);
    }

    const markdown = renderReport(testReport(result));
    expect(markdown).toContain('## 1. Memory per socket');
    expect(markdown).toContain('## 3. Targeted push');
    expect(markdown).toContain('| **Ratio hub ÷ raw** |');
  }, 120_000);
});
