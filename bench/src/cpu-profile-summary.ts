/**
 * Summarises a V8 .cpuprofile (as written by `npm run bench:ingest -- --profile`): self time by
 * package/area and the hottest functions, plus inclusive time of chosen frames.
 *
 *   node --import tsx bench/src/cpu-profile-summary.ts <file.cpuprofile> [--top 25] [--inclusive name1,name2]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Which package or area a frame belongs to. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'program (native, outside JS)';
    return `native ${functionName || '(anonymous)'}`;
  }
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm?.[1]) return nm[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] ?? ''}`;
  const local = /\/(hub\/src|connectors|bench\/src|test)\/(.*)$/.exec(url);
  if (local?.[1] && local[2]) return `${local[1]}/${local[2].split('/')[0] ?? ''}`;
  return url;
}

function shortUrl(frame: CallFrame): string {
  const { url } = frame;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const local = /\/(hub\/src|connectors|bench\/src|test)\/(.*)$/.exec(url);
  return local ? `${local[1]}/${local[2]}` : url;
}

export interface ProfileSummary {
  totalMs: number;
  byArea: Array<{ area: string; ms: number; share: number }>;
  topFunctions: Array<{ fn: string; ms: number; share: number }>;
  inclusive: Array<{ name: string; ms: number; share: number }>;
}

export function summarizeProfile(profile: CpuProfile, top = 25, inclusiveNames: string[] = []): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    for (let i = 0; i < profile.samples.length; i++) {
      const id = profile.samples[i]!;
      const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
      selfMs.set(id, (selfMs.get(id) ?? 0) + dt);
    }
  } else {
    const interval = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0));
    for (const n of profile.nodes) selfMs.set(n.id, (n.hitCount ?? 0) * interval);
  }
  const area = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    const a = areaOf(node.callFrame);
    if (a === 'idle') continue;
    total += ms;
    area.set(a, (area.get(a) ?? 0) + ms);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame) || a}:${node.callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
  }
  // Inclusive time of frames whose function name matches: sum of self time in their subtrees
  // (counted once when a matching frame is nested in another match).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = inclusiveNames.map((name) => {
    let ms = 0;
    for (const [id, self] of selfMs) {
      let cursor: number | undefined = id;
      while (cursor !== undefined) {
        const node = byId.get(cursor);
        if (node && node.callFrame.functionName === name) {
          ms += self;
          break;
        }
        cursor = parent.get(cursor);
      }
    }
    return { name, ms, share: total > 0 ? ms / total : 0 };
  });
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total,
    byArea: sorted(area).map(([a, ms]) => ({ area: a, ms, share: ms / total })),
    topFunctions: sorted(fns)
      .slice(0, top)
      .map(([fn, ms]) => ({ fn, ms, share: ms / total })),
    inclusive,
  };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, inclusive: { type: 'string', default: '' } },
  });
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const names = values.inclusive ? values.inclusive.split(',').filter(Boolean) : [];
    const s = summarizeProfile(profile, Number(values.top), names);
    const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
    process.stdout.write(`\n${file}: ${(s.totalMs / 1000).toFixed(2)} s of non-idle samples\n\nSelf time by area:\n`);
    for (const a of s.byArea.slice(0, 30)) process.stdout.write(`  ${pct(a.share)} ${(a.ms / 1000).toFixed(2).padStart(7)} s  ${a.area}\n`);
    process.stdout.write('\nHottest functions (self):\n');
    for (const f of s.topFunctions) process.stdout.write(`  ${pct(f.share)} ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.fn}\n`);
    if (s.inclusive.length > 0) {
      process.stdout.write('\nInclusive:\n');
      for (const f of s.inclusive) process.stdout.write(`  ${pct(f.share)} ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.name}\n`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
