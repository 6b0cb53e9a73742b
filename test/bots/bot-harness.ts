import { expect } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { botModelSchema, type BotModelInput } from '@ventanilla/bots';
import { startHubProcess, type Database, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { createQueue } from '../support/router-factories.js';
import { endBody, messageBody, signedHeaders } from '../support/webhook.js';

/** What the API channel's callback received: the hub's outbound message as the adapter encodes it. */
export interface SentMessage {
  id: string;
  conversationId: string;
  folio: string;
  to: { phone?: string };
  sender: { type: string };
  content: { type: string; text?: string };
}

export interface BotChannel {
  id: string;
  secret: string;
}

export interface BotHarness {
  hub: HubProcess;
  db: Kysely<Database>;
  campaignId: string;
  prefix: string;
  defaultQueueId: string;
  /** An API channel with the bot on, and one without. */
  botChannel: BotChannel;
  plainChannel: BotChannel;
  sent: SentMessage[];
  post(channel: BotChannel, body: string): Promise<void>;
  says(phone: string, id: string, text: string, channel?: BotChannel): Promise<void>;
  leaves(phone: string, id: string, channel?: BotChannel): Promise<void>;
  /** The conversation a provider message id landed in. */
  conversationOf(providerMessageId: string): Promise<{ id: string; folio: string }>;
  /** The bot's replies to a conversation as the callback received them, in order. */
  botTexts(conversationId: string): string[];
  waitForBotTexts(conversationId: string, count: number): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeout = 15_000): Promise<T> {
  let value: T | undefined;
  await expect.poll(async () => (value = await check()) !== undefined, { timeout, interval: 50 }).toBe(true);
  return value as T;
}

/**
 * A real hub (API + workers) on its own schema, a campaign with a default queue, an API channel
 * with the bot on and one without, and `model` stored as the campaign's production version. The
 * API channel's callback is a fetch stub that records what the citizen would receive.
 */
export async function startBotHarness(model: BotModelInput, overrides: Record<string, string> = {}): Promise<BotHarness> {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20', BOT_IDLE_SWEEP_MS: '200', ...overrides });
  const sent: SentMessage[] = [];
  let seq = 0;
  const fakeFetch: typeof fetch = async (_url, init) => {
    const body = JSON.parse(String(init?.body ?? '{}')) as SentMessage;
    sent.push(body);
    return new Response(JSON.stringify({ id: `prov-${++seq}` }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const hub = await startHubProcess(config, { fetch: fakeFetch });
  const db = hub.ctx.db.kysely;
  const campaign = await createCampaign(db);
  const defaultQueueId = await createQueue(db, campaign.id, { name: 'General', isDefault: true });
  const bot = await createApiChannel(db, campaign.id, { callbackUrl: 'http://citizen.invalid/cb', name: 'API con bot' });
  await db
    .updateTable('channels')
    .set({ settings: JSON.stringify({ callbackUrl: 'http://citizen.invalid/cb', bot: { enabled: true } }) })
    .where('id', '=', bot.channel.id)
    .execute();
  const plain = await createApiChannel(db, campaign.id, { callbackUrl: 'http://citizen.invalid/cb', name: 'API sin bot' });
  await storeProductionModel(db, campaign.id, model);
  const botChannel = { id: bot.channel.id, secret: bot.secret };
  const plainChannel = { id: plain.channel.id, secret: plain.secret };

  const post = async (channel: BotChannel, body: string) => {
    const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(channel.secret, body), body });
    expect(res.status).toBe(200);
  };
  const botTexts = (conversationId: string) => sent.filter((m) => m.conversationId === conversationId && m.sender.type === 'bot').map((m) => m.content.text ?? '');
  return {
    hub,
    db,
    campaignId: campaign.id,
    prefix: campaign.folio_prefix,
    defaultQueueId,
    botChannel,
    plainChannel,
    sent,
    post,
    says: (phone, id, text, channel = botChannel) => post(channel, messageBody({ id, phone, text })),
    leaves: (phone, id, channel = botChannel) => post(channel, endBody({ id, phone })),
    conversationOf: (providerMessageId) =>
      eventually(() =>
        db
          .selectFrom('messages')
          .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
          .select(['conversations.id', 'conversations.folio'])
          .where('messages.provider_message_id', '=', providerMessageId)
          .executeTakeFirst(),
      ),
    botTexts,
    async waitForBotTexts(conversationId, count) {
      await expect.poll(() => botTexts(conversationId).length, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(count);
      return botTexts(conversationId);
    },
    async cleanup() {
      await hub.stop();
      await dropNamespaces(config);
    },
  };
}

/** A model as the console would leave it: validated, version 1, production (trained by the hub at its first turn). */
export async function storeProductionModel(db: Kysely<Database>, campaignId: string, model: BotModelInput): Promise<string> {
  const parsed = botModelSchema.parse(model);
  const row = await db
    .insertInto('bot_models')
    .values({ campaign_id: campaignId, version: 1, status: 'production', model: JSON.stringify(parsed), promoted_at: sql`now()` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The session's current outcome (superseded rows are history). */
export async function currentOutcome(db: Kysely<Database>, conversationId: string) {
  return db
    .selectFrom('bot_outcomes')
    .select(['id', 'outcome', 'weight_pct', 'intent', 'reason', 'session_id'])
    .where('conversation_id', '=', conversationId)
    .where('superseded_by', 'is', null)
    .executeTakeFirst();
}
