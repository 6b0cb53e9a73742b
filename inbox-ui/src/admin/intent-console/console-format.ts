import type { BotModelStatusView, BotModelSummary, TrainingReportView } from '../../../../hub/src/bots/console/console.contract.js';
import type { SessionUser } from '../../api/api-types.js';
import type { Lang } from '../../i18n/lang.js';

/** Who may change a campaign's bot: admins, and the campaign's trainers; supervisors only read. */
export function canEditBot(user: Pick<SessionUser, 'roles' | 'campaignIds'>, campaignId: string): boolean {
  if (user.roles.includes('admin')) return true;
  return user.roles.includes('trainer') && user.campaignIds.includes(campaignId);
}

/** 0.934 → "93.4 %" (one decimal, the campaign's language). */
export function percent(ratio: number, lang: Lang, digits = 1): string {
  return `${(ratio * 100).toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits })} %`;
}

/** 1830 ms → "1.8 s"; under 0.1 s still says "0.1 s" rather than a misleading zero. */
export function seconds(ms: number, lang: Lang): string {
  const value = Math.max(ms, 100) / 1000;
  return `${value.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
}

export interface IntentAccuracyRow {
  intent: string;
  correct: number;
  total: number;
  accuracy: number;
}

/** The training's per-intent figures, worst first: what the trainer should look at. */
export function perIntentRows(training: TrainingReportView): IntentAccuracyRow[] {
  return Object.entries(training.perIntent)
    .map(([intent, { correct, total }]) => ({ intent, correct, total, accuracy: total === 0 ? 0 : correct / total }))
    .sort((a, b) => a.accuracy - b.accuracy || a.intent.localeCompare(b.intent, 'es'));
}

/** The version the console opens: the newest draft, else production, else the newest. */
export function workingVersion(items: readonly BotModelSummary[]): BotModelSummary | null {
  const byVersion = [...items].sort((a, b) => b.version - a.version);
  return byVersion.find((m) => m.status === 'draft') ?? byVersion.find((m) => m.status === 'production') ?? byVersion[0] ?? null;
}

/** Versions the test box can use: trained drafts and whatever was promoted (production, archived). */
export function testableVersions(items: readonly BotModelSummary[]): BotModelSummary[] {
  return items.filter((m) => m.training !== null || m.status !== 'draft').sort((a, b) => statusRank(a.status) - statusRank(b.status) || b.version - a.version);
}

function statusRank(status: BotModelStatusView): number {
  return status === 'production' ? 0 : status === 'draft' ? 1 : 2;
}

/** YYYY-MM-DD of a date in the browser's time zone. */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The hub's default window: the last 30 days, today included. */
export function lastThirtyDays(now: Date): { from: string; to: string } {
  const from = new Date(now);
  from.setDate(from.getDate() - 29);
  return { from: isoDay(from), to: isoDay(now) };
}

/** Day range (inclusive, browser's time zone) → the instants the hub takes; null when not valid dates in order. */
export function dayRangeToIso(range: { from: string; to: string }): { from: string; to: string } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(range.from) || !/^\d{4}-\d{2}-\d{2}$/.test(range.to)) return null;
  const from = new Date(`${range.from}T00:00:00`);
  const to = new Date(`${range.to}T23:59:59.999`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to < from) return null;
  return { from: from.toISOString(), to: to.toISOString() };
}

/** A safe file name for an exported model: `modelo-v3.json`. */
export function exportFileName(summary: Pick<BotModelSummary, 'version' | 'name'>): string {
  const slug = summary.name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'modelo'}-v${summary.version}.json`;
}
