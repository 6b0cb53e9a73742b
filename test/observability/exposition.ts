/** Reading the Prometheus text exposition of GET /metrics in tests. */

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!.replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of one series given as `name{a="x",b="y"}` (any label order); undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  const [wanted] = parseExposition(`${series} 0`);
  if (!wanted) throw new Error(`not a series: ${series}`);
  const keys = Object.keys(wanted.labels);
  return parseExposition(text).find(
    (s) => s.name === wanted.name && Object.keys(s.labels).length === keys.length && keys.every((k) => s.labels[k] === wanted.labels[k]),
  )?.value;
}

/** Every label value in the exposition (the `le` and `quantile` of histograms and summaries aside). */
export function labelValues(text: string): string[] {
  return parseExposition(text).flatMap((s) =>
    Object.entries(s.labels)
      .filter(([k]) => k !== 'le' && k !== 'quantile')
      .map(([, v]) => v),
  );
}
