/**
 * Reads what a hub process says about its own health from /metrics (prom-client text): routing
 * passes (count, mean, how many took over 0.25 s / 1 s) and event-loop delay. When the wait
 * invariant fails, these tell a starved machine from a stalled router.
 */
export interface HubHealth {
  passes: number;
  passMeanMs: number;
  passesOver250ms: number;
  passesOver1s: number;
  eventLoopLagMaxMs: number;
  eventLoopLagP99Ms: number;
}

export async function readHubHealth(url: string): Promise<HubHealth | { error: string }> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
    const value = (name: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return line ? Number(line.slice(name.length + 1)) : Number.NaN;
    };
    const bucket = (le: string): number => value(`hub_routing_pass_duration_seconds_bucket{le="${le}"}`);
    const passes = value('hub_routing_pass_duration_seconds_count');
    return {
      passes,
      passMeanMs: Math.round((value('hub_routing_pass_duration_seconds_sum') / Math.max(1, passes)) * 1000),
      passesOver250ms: passes - bucket('0.25'),
      passesOver1s: passes - bucket('1'),
      eventLoopLagMaxMs: Math.round(value('hub_nodejs_eventloop_lag_max_seconds') * 1000),
      eventLoopLagP99Ms: Math.round(value('hub_nodejs_eventloop_lag_p99_seconds') * 1000),
    };
  } catch (error) {
    return { error: String(error) };
  }
}
