import { fileURLToPath } from 'node:url';
import { writeReportFile, type BenchReport } from '../bench-report.js';
import { n0, n1, n2, n3, ratio as times } from '../report-format.js';
import type { ClassifyFigures } from './measure.js';
import type { BotsResult, DemoFigures } from './run-bots.js';

/** The Markdown report of `npm run bench:bots` (bench/reports/bots-latest.md) and its console summary. */
export type BotsReport = BenchReport<BotsResult | null>;

const REPORT = fileURLToPath(new URL('../../reports/bots-latest.md', import.meta.url));
const QUICK_REPORT = fileURLToPath(new URL('../../reports/bots-latest-quick.md', import.meta.url));

const pct = (part: number, whole: number): string => (whole > 0 ? `${n1((part * 100) / whole)} %` : '—');
const share = (v: number): string => (Number.isFinite(v) ? `${n1(v * 100)} %` : '—');
const lat = (c: ClassifyFigures): string => `${n3(c.latencyMs.p50)} / ${n3(c.latencyMs.p99)}`;
const seconds = (ms: number): string => `${n2(ms / 1000)} s`;

/** Figures that cannot be trusted: nothing classified, or a training that did not finish. */
export function brokenRun(r: BotsResult): boolean {
  const s = r.synthetic;
  const loops = [s.ours.classify, s.raw.classify, s.raw.process];
  return loops.some((c) => c.count === 0 || !Number.isFinite(c.perSecond)) || !Number.isFinite(s.ours.trainMs) || !Number.isFinite(s.raw.trainMs);
}

export function summaryLines(report: BotsReport): string[] {
  const r = report.result;
  if (!r) return ['bots bench: no result', ...report.errors];
  const s = r.synthetic;
  const lines = [
    `NLU (NLP.js), synthetic Spanish model ${s.intents} intents × ${r.settings.phrasesPerIntent} phrases (${n0(s.phrases)}):`,
    `  training, best of ${r.settings.trainingRounds}      ours ${seconds(s.ours.trainMs)} | raw NLP.js ${seconds(s.raw.trainMs)} | ours ÷ raw ${times(s.ours.trainMs, s.raw.trainMs)}`,
    `  classifications/s         ours ${n0(s.ours.classify.perSecond)} | raw classify() ${n0(s.raw.classify.perSecond)} | raw process() ${n0(s.raw.process.perSecond)} | ours ÷ raw classify() ${times(s.ours.classify.perSecond, s.raw.classify.perSecond)}`,
    `  latency p50/p99 ms        ours ${lat(s.ours.classify)} | raw classify() ${lat(s.raw.classify)} | raw process() ${lat(s.raw.process)}`,
    `  accuracy, unseen          ${pct(s.ours.classify.correct ?? 0, s.ours.classify.count)} of ${n0(s.ours.classify.count)} (ours and raw agree on ${share(s.agreement)})`,
  ];
  if (s.crossValidation) lines.push(`  cross-validation          ${s.crossValidation.folds} folds ${share(s.crossValidation.accuracy)} in ${seconds(s.crossValidation.wallMs)}`);
  lines.push(typeof r.demo === 'string' ? `  demo model                skipped: ${r.demo}` : demoLine(r.demo));
  if (brokenRun(r)) lines.push('  BROKEN RUN: a loop classified nothing or a training did not finish (see the report)');
  return lines;
}

function demoLine(d: DemoFigures): string {
  return `  demo model                ${d.intents} intents, ${d.phrases} phrases: trained in ${seconds(d.trainMs)}, held-out ${pct(d.classify.correct ?? 0, d.heldOut)} (${d.classify.correct ?? 0}/${d.heldOut}), ${d.crossValidation.folds}-fold ${share(d.crossValidation.accuracy)}, ${n0(d.classify.perSecond)} classifications/s`;
}

function syntheticSection(r: BotsResult): string[] {
  const s = r.synthetic;
  const row = (name: string, c: ClassifyFigures, train: string): string =>
    `| ${name} | ${train} | ${n0(c.perSecond)} | ${n3(c.latencyMs.p50)} | ${n3(c.latencyMs.p99)} | ${n3(c.latencyMs.max)} | ${c.correct === null ? '—' : pct(c.correct, c.count)} |`;
  return [
    `## 1. Synthetic model: ${s.intents} intents × ${r.settings.phrasesPerIntent} Spanish phrases`,
    '',
    `${n0(s.phrases)} training phrases; ${n0(s.ours.classify.count)} unseen test utterances (${r.settings.testPerIntent} per intent, generated like the phrases but not among them), classified one at a time on one thread after a warm-up on ${n0(r.settings.warmupPerIntent * s.intents)} other unseen utterances. The three classifiers take turns on each utterance (ours, raw \`classify()\`, raw \`process()\`, then the next one), so a garbage collection or a neighbour's burst falls on all three alike; classifications/s = utterances ÷ the sum of that classifier's own call times. Raw \`process()\` runs on its own copy of the trained model (NLP.js caches the texts it has prepared).`,
    '',
    '| | Training (final model, best round) | Classifications/s | p50 ms | p99 ms | max ms | Accuracy (unseen) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('**Ours** (`trainNlu`, `classify`: checks, language, threshold, entities)', s.ours.classify, seconds(s.ours.trainMs)),
    row('Raw NLP.js `classify()` (baseline)', s.raw.classify, seconds(s.raw.trainMs)),
    row('Raw NLP.js `process()` (full pipeline)', s.raw.process, 'same model'),
    `| **Ratio ours ÷ raw \`classify()\`** | ${times(s.ours.trainMs, s.raw.trainMs)} | ${times(s.ours.classify.perSecond, s.raw.classify.perSecond)} | ${times(s.ours.classify.latencyMs.p50, s.raw.classify.latencyMs.p50)} | ${times(s.ours.classify.latencyMs.p99, s.raw.classify.latencyMs.p99)} | | |`,
    '',
    `- Training rounds (alternated, the fastest reported above): ours ${s.ours.trainRoundsMs.map(seconds).join(', ')}; raw ${s.raw.trainRoundsMs.map(seconds).join(', ')}.`,
    `- Ours never picked an intent raw \`classify()\` did not for ${share(s.agreement)} of the test utterances (same classifier, same threshold ${n2(s.threshold)}; ours also refuses a match when fewer than a third of the utterance's content words are known to the model, so its accuracy can sit below raw's).`,
    `- Export (\`exportTrained()\`, stored in \`bot_models.trained\`): ${n0(s.exportBytes / 1024)} KiB; \`loadNlu\` (import, no training): ${n1(s.loadMs)} ms.`,
    s.crossValidation
      ? `- Cross-validation as the console's "Entrenar" runs it (\`crossValidate\`: the final training plus ${s.crossValidation.folds} folds, each a full training on the rest): ${share(s.crossValidation.accuracy)} in ${seconds(s.crossValidation.wallMs)}.`
      : '- Cross-validation: not run (--no-cv).',
    '',
  ];
}

function demoSection(r: BotsResult): string[] {
  const d = r.demo;
  if (typeof d === 'string') return ['## 2. Demo model', '', `Skipped: ${d}.`, ''];
  return [
    '## 2. Demo model (`bots/models/demo`)',
    '',
    '| Intents | Phrases (es + en) | Training | Held-out accuracy | Cross-validated | Classifications/s | p50 / p99 ms |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${d.intents} | ${n0(d.phrases)} | ${seconds(d.trainMs)} | ${pct(d.classify.correct ?? 0, d.heldOut)} (${d.classify.correct ?? 0}/${d.heldOut}) | ${share(d.crossValidation.accuracy)} (${d.crossValidation.folds} folds, ${seconds(d.crossValidation.wallMs)}) | ${n0(d.classify.perSecond)} | ${lat(d.classify)} |`,
    '',
    'Held-out: `demoHeldOutSet`, utterances written as citizens write (no accents, typos) that are no training phrase; target ≥ 90 %.',
    '',
  ];
}

function reading(report: BotsReport, r: BotsResult): string[] {
  const s = r.synthetic;
  return [
    '## 3. Reading it',
    '',
    `- **Training** is NLP.js's own: ours adds the phrases to one \`Nlp\` per model exactly as the baseline does, so the gap between the two (${times(s.ours.trainMs, s.raw.trainMs)}, rounds alternated) is what the shared machine did meanwhile, not code (${report.machine.cpus} cores; load ${report.machine.loadAverageAtStart.join(' / ')} at start, ${report.machine.loadAverageAtEnd.join(' / ')} at the end). ${n0(s.phrases)} phrases train in ${seconds(s.ours.trainMs)}; the console's "Entrenar" (final training plus cross-validation) takes ${s.crossValidation ? seconds(s.crossValidation.wallMs) : 'longer (not measured: --no-cv)'}, and \`loadNlu\` brings a stored model back in ${n1(s.loadMs)} ms without training.`,
    `- **Classification** costs ${n3(s.ours.classify.latencyMs.p50)} ms at p50 against ${n3(s.raw.classify.latencyMs.p50)} ms for the bare classifier: the difference is our wrapper — the utterance checks, the word-count language detection and the entity extractors (a dozen regular expressions over the text). That is ${n0(s.ours.classify.perSecond)} classifications/s on one thread of one process. The p99 (${n3(s.ours.classify.latencyMs.p99)} ms ours, ${n3(s.raw.classify.latencyMs.p99)} ms bare, ${n3(s.raw.process.latencyMs.p99)} ms \`process()\`) is the 1 % of calls during which a garbage collection or another process ran; with the calls interleaved, the classifiers that allocate more per call (ours and \`process()\` build result objects and entities) are more likely to be the one that triggers a collection.`,
    `- **Raw \`process()\`** (NLP.js's documented entry point, which adds its NER, answers, sentiment and context to the classifier) runs at ${n0(s.raw.process.perSecond)}/s, ${times(s.raw.process.perSecond, s.raw.classify.perSecond)} its own \`classify()\`; we call \`classify()\` and extract the entities ourselves.`,
    '',
  ];
}

export function renderBotsReport(report: BotsReport): string {
  const r = report.result;
  const lines = [
    '# Bots NLU: training time and classifications per second (issue 7)',
    '',
    `Run ${report.startedAt}, ${n0(report.durationSeconds)} s. Command: \`${report.command}\`. Code: \`bench/src/bots.bench.ts\`, \`bench/src/bots/\`. Node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpuModel}.`,
    '',
  ];
  if (!r) return [...lines, '**No result.**', '', '```', ...report.errors, '```', ''].join('\n');
  if (brokenRun(r)) lines.push('**Broken run**: a loop classified nothing or a training did not finish.', '');
  lines.push('```', ...summaryLines(report), '```', '', ...syntheticSection(r), ...demoSection(r), ...reading(report, r));
  if (report.errors.length > 0) lines.push('## Errors', '', '```', ...report.errors, '```', '');
  return lines.join('\n');
}

/** Writes the report (a --quick run to its own file, so it never replaces the full run's figures). */
export function writeBotsReport(report: BotsReport, quick: boolean): string {
  return writeReportFile(quick ? QUICK_REPORT : REPORT, renderBotsReport(report));
}
