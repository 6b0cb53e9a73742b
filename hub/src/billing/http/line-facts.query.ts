import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import type { RateCard, RateConcept, UsageMeter, UsageSelector } from '../billing.contract.js';
import { loadRateCard, rateCardById } from '../rate-card/rate-card.store.js';
import { specificity } from '../statement/compute-matching.js';

/**
 * The usage facts behind one statement line (issue 10 item 7: every line traceable to its facts
 * and those to folios). A fact belongs to a concept exactly when the card's `matchConcept` (the one
 * the statement prices with) picks it: the concept's selector matches and no rival of the same
 * meter does that is more specific, or as specific and earlier on the card. That rule is written
 * as SQL (`conceptWhere`), so a page never scans the month to find the line's dimensions.
 *
 * The scope is the statement's: an open month reads the unbilled facts (`billed_in_month IS
 * NULL`) of the usage month; a closed month reads the facts its close stamped. Facts missing
 * evidence are excluded from every line (they are listed apart on the statement). Keyset pages on
 * the fact id.
 */

type Db = Kysely<Database>;
type FactsEb = ExpressionBuilder<Database, 'billing_usage_facts'>;

export interface LineScope {
  readonly campaignId: string;
  /** The statement's month. */
  readonly month: string;
  readonly status: 'open' | 'closed';
  readonly rateCard: { readonly id: string | null; readonly version: number; readonly card: RateCard };
  readonly concept: RateConcept;
  /** The facts' own month: the statement's, or a closed month whose late usage is an adjustment. */
  readonly usageMonth: string;
}

export interface LineFact {
  readonly id: string;
  readonly folio: string | null;
  readonly conversationId: string | null;
  readonly callSid: string | null;
  readonly agentId: string | null;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly localDay: string;
  /** duration_ms / 1000 (exact, with milliseconds). */
  readonly seconds: number;
  readonly quantity: number;
  readonly weightPct: number;
  readonly meter: UsageMeter;
  readonly seatType: 'PS-I' | 'PS-P' | null;
  readonly tier: 1 | 2 | null;
  readonly channelClass: 'voice' | 'text' | 'email' | null;
  readonly channelKind: string | null;
  readonly direction: 'inbound' | 'outbound' | null;
  readonly sourceKey: string;
}

export interface LineTotals {
  readonly factCount: number;
  /** Σ duration_ms / 1000: a time line's `exactSeconds`. */
  readonly exactSeconds: number;
  /** Σ quantity (items regardless of weight). */
  readonly items: number;
  /** Σ quantity × weight_pct / 100: a count line's quantity. */
  readonly weightedUnits: number;
}

/** The card a statement is priced with: the stored version a closed month names, else the active (or default) card. */
async function statementCard(db: Db, campaignId: string, status: 'open' | 'closed', cardId: string | null): Promise<LineScope['rateCard']> {
  if (cardId) {
    const stored = await rateCardById(db, cardId);
    if (stored && stored.campaignId === campaignId) return { id: stored.id, version: stored.version, card: stored.card };
  }
  if (status === 'closed') throw new HubError('HUB_ERR_NOT_FOUND', 'No se encontró la tarifa con la que se cerró el mes / the rate card the month was closed with was not found');
  const loaded = await loadRateCard(db, campaignId);
  return { id: loaded.id, version: loaded.version, card: loaded.card };
}

function scopeWhere(eb: FactsEb, s: Pick<LineScope, 'campaignId' | 'month' | 'status' | 'usageMonth'>) {
  return eb.and([
    eb('campaign_id', '=', s.campaignId),
    eb('month', '=', s.usageMonth),
    s.status === 'closed' ? eb('billed_in_month', '=', s.month) : eb('billed_in_month', 'is', null),
    eb('evidence_problem', 'is', null),
  ]);
}

/** Every field the selector sets equals the fact's (IS NOT DISTINCT FROM: never NULL, so NOT works). */
function selectorWhere(eb: FactsEb, selector: UsageSelector) {
  const parts = [eb('meter', '=', selector.meter)];
  if (selector.seatType !== undefined) parts.push(eb('seat_type', 'is not distinct from', selector.seatType));
  if (selector.tier !== undefined) parts.push(eb('tier', 'is not distinct from', selector.tier));
  if (selector.channelClass !== undefined) parts.push(eb('channel_class', 'is not distinct from', selector.channelClass));
  if (selector.channelKind !== undefined) parts.push(eb('channel_kind', 'is not distinct from', selector.channelKind));
  if (selector.direction !== undefined) parts.push(eb('direction', 'is not distinct from', selector.direction));
  return eb.and(parts);
}

/** The selectors that would take a fact from the concept (matchConcept: higher specificity, or equal and earlier). */
export function rivalSelectors(concepts: readonly RateConcept[], index: number): UsageSelector[] {
  const own = concepts[index]?.usage;
  if (!own) return [];
  const mine = specificity(own);
  const rivals: UsageSelector[] = [];
  concepts.forEach((c, i) => {
    if (i === index || !c.usage || c.usage.meter !== own.meter) return;
    const theirs = specificity(c.usage);
    if (theirs > mine || (theirs === mine && i < index)) rivals.push(c.usage);
  });
  return rivals;
}

function conceptWhere(eb: FactsEb, scope: LineScope) {
  const index = scope.rateCard.card.concepts.indexOf(scope.concept);
  const own = scope.concept.usage;
  if (!own) return eb.val(false);
  return eb.and([selectorWhere(eb, own), ...rivalSelectors(scope.rateCard.card.concepts, index).map((rival) => eb.not(selectorWhere(eb, rival)))]);
}

const tierOf = (value: number | null): 1 | 2 | null => (value === 1 || value === 2 ? value : null);

/** Resolves a line: the statement's card and the concept (404 when the card has no such code). */
export async function resolveLine(
  db: Db,
  s: { campaignId: string; month: string; status: 'open' | 'closed'; rateCardId: string | null; conceptCode: string; usageMonth: string; closedMonths: readonly string[] },
): Promise<LineScope> {
  if (s.usageMonth > s.month) throw new HubError('HUB_ERR_VALIDATION', `El mes de uso ${s.usageMonth} es posterior al estado de cuenta de ${s.month} / usage month after the statement month`);
  if (s.usageMonth < s.month && s.status === 'open' && !s.closedMonths.includes(s.usageMonth)) {
    throw new HubError('HUB_ERR_VALIDATION', `El mes ${s.usageMonth} sigue abierto: su consumo está en su propio estado de cuenta, no en el de ${s.month} / ${s.usageMonth} is open: its usage is on its own statement`);
  }
  const rateCard = await statementCard(db, s.campaignId, s.status, s.rateCardId);
  const concept = rateCard.card.concepts.find((c) => c.code === s.conceptCode);
  if (!concept) throw new HubError('HUB_ERR_NOT_FOUND', `La tarifa versión ${rateCard.version} no tiene el concepto «${s.conceptCode}» / the rate card has no concept ${s.conceptCode}`);
  return { campaignId: s.campaignId, month: s.month, status: s.status, rateCard, concept, usageMonth: s.usageMonth };
}

/** One keyset page (ascending fact id, after `after`). */
export async function lineFactsPage(db: Db, scope: LineScope, page: { limit: number; after?: string | undefined }): Promise<{ items: LineFact[]; nextAfter: string | null }> {
  if (!scope.concept.usage) return { items: [], nextAfter: null };
  let query = db
    .selectFrom('billing_usage_facts')
    .select([
      'id',
      'folio',
      'conversation_id',
      'call_sid',
      'agent_id',
      'started_at',
      'ended_at',
      sql<string>`to_char(local_day, 'YYYY-MM-DD')`.as('local_day'),
      'duration_ms',
      'quantity',
      'weight_pct',
      'meter',
      'seat_type',
      'tier',
      'channel_class',
      'channel_kind',
      'direction',
      'source_key',
    ])
    .where((eb) => scopeWhere(eb, scope))
    .where((eb) => conceptWhere(eb, scope));
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query.orderBy('id').limit(page.limit + 1).execute();
  const items = rows.slice(0, page.limit).map(
    (r): LineFact => ({
      id: String(r.id),
      folio: r.folio,
      conversationId: r.conversation_id,
      callSid: r.call_sid,
      agentId: r.agent_id,
      startedAt: new Date(r.started_at).toISOString(),
      endedAt: new Date(r.ended_at).toISOString(),
      localDay: r.local_day,
      seconds: Number(r.duration_ms) / 1000,
      quantity: r.quantity,
      weightPct: r.weight_pct,
      meter: r.meter,
      seatType: r.seat_type,
      tier: tierOf(r.tier),
      channelClass: r.channel_class,
      channelKind: r.channel_kind,
      direction: r.direction,
      sourceKey: r.source_key,
    }),
  );
  const last = items[items.length - 1];
  return { items, nextAfter: rows.length > page.limit && last ? last.id : null };
}

/** Σ over every fact of the line (the figures the statement line shows before pricing). */
export async function lineTotals(db: Db, scope: LineScope): Promise<LineTotals> {
  if (!scope.concept.usage) return { factCount: 0, exactSeconds: 0, items: 0, weightedUnits: 0 };
  const row = await db
    .selectFrom('billing_usage_facts')
    .select((eb) => [
      eb.fn.countAll<string>().as('facts'),
      eb.fn.coalesce(eb.fn.sum<string>('duration_ms'), eb.val('0')).as('duration_ms'),
      eb.fn.coalesce(eb.fn.sum<string>('quantity'), eb.val('0')).as('items'),
      eb.fn.coalesce(eb.fn.sum<string>(eb(eb.cast('quantity', 'bigint'), '*', eb.ref('weight_pct'))), eb.val('0')).as('weighted'),
    ])
    .where((eb) => scopeWhere(eb, scope))
    .where((eb) => conceptWhere(eb, scope))
    .executeTakeFirstOrThrow();
  return { factCount: Number(row.facts), exactSeconds: Number(row.duration_ms) / 1000, items: Number(row.items), weightedUnits: Number(row.weighted) / 100 };
}

/** Every fact of the line, a page at a time (for the CSV: never the whole line in memory). */
export async function* allLineFacts(db: Db, scope: LineScope, pageSize = 5000): AsyncGenerator<LineFact> {
  let after: string | undefined;
  for (;;) {
    const page = await lineFactsPage(db, scope, { limit: pageSize, after });
    yield* page.items;
    if (page.nextAfter === null) return;
    after = page.nextAfter;
  }
}
