import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import type { WidgetMessage } from '../../hub/src/webchat/widget.contract.js';
import { createCampaign } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { connectWidget, createWebchatChannel, startVisitor, waitFor, widgetCall } from '../webchat/widget-harness.js';
import { currentOutcome, storeProductionModel } from './bot-harness.js';
import { runtimeTestModel } from './test-model.js';

/**
 * The bot on the web chat widget (issue 7): the visitor sees the bot's replies live, marked as
 * the bot's; a flow that resolves with the exit survey closes at once, because the widget shows
 * its own survey form when the chat ends (never asked twice), and a bad rating there marks the
 * bot's answer wrong; "end chat" on a bot conversation is a cut-off.
 */
describe('bot on the web chat widget', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20' });
  let hub: HubProcess;
  let channelId: string;

  beforeAll(async () => {
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db);
    const channel = await createWebchatChannel(db, campaign.id);
    channelId = channel.id;
    await db
      .updateTable('channels')
      .set({ settings: JSON.stringify({ ...channel.settings, bot: { enabled: true } }) })
      .where('id', '=', channelId)
      .execute();
    await storeProductionModel(db, campaign.id, runtimeTestModel());
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  const say = (token: string, text: string) => widgetCall(hub.app!, { url: '/messages', token, body: { clientMessageId: randomUUID(), text } });
  const conversationOf = (visitorId: string) =>
    waitFor(
      () =>
        hub.ctx.db.kysely
          .selectFrom('conversations as c')
          .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
          .selectAll('c')
          .where('i.kind', '=', 'external')
          .where('i.value', '=', visitorId)
          .executeTakeFirst(),
      'the conversation',
    );

  it("shows the bot's replies live and closes a resolved chat without asking the rating itself", async () => {
    const { visitorToken, visitorId } = await startVisitor(hub.app!, channelId);
    const socket = await connectWidget(hub.url!, visitorToken);
    const got: WidgetMessage[] = [];
    socket.on('message.created', (m) => void got.push(m));
    try {
      expect((await say(visitorToken, 'hola')).statusCode).toBe(202);
      const greeting = await waitFor(async () => got.find((m) => m.sender === 'bot'), "the bot's reply");
      expect(greeting.text).toBe('Hola, ¿en qué le puedo ayudar?');
      const conversation = await conversationOf(visitorId);
      expect(conversation.status).toBe('bot');

      await say(visitorToken, 'quiero calificar la atención');
      const closed = await waitFor(async () => {
        const c = await hub.ctx.db.kysely.selectFrom('conversations').select(['status', 'closed_at']).where('id', '=', conversation.id).executeTakeFirstOrThrow();
        return c.status === 'resolved' ? c : undefined;
      }, 'the bot to resolve');
      expect(closed.closed_at).not.toBeNull();
      const bot = await waitFor(async () => {
        const replies = got.filter((m) => m.sender === 'bot');
        return replies.length >= 2 ? replies : undefined;
      }, 'the closing reply');
      expect(bot[1]!.text).toBe('Gracias por usar el asistente.');
      expect(bot.some((m) => (m.text ?? '').includes('del 1 (muy mala) al 5'))).toBe(false);
      expect(await currentOutcome(hub.ctx.db.kysely, conversation.id)).toMatchObject({ outcome: 'resolved', weight_pct: 100 });

      // The widget's own survey: a bad rating of what the bot resolved alone is a wrong answer (0 %).
      const surveyed = await widgetCall(hub.app!, { url: '/survey', token: visitorToken, body: { rating: 1, answers: {}, agentRatings: [] } });
      expect(surveyed.statusCode, surveyed.body).toBeLessThan(300);
      expect(await currentOutcome(hub.ctx.db.kysely, conversation.id)).toMatchObject({ outcome: 'wrong', weight_pct: 0, reason: 'encuesta negativa' });
    } finally {
      socket.disconnect();
    }
  });

  it('"end chat" while the bot serves is a cut-off', async () => {
    const { visitorToken, visitorId } = await startVisitor(hub.app!, channelId);
    await say(visitorToken, 'hola');
    const conversation = await conversationOf(visitorId);
    await waitFor(() => hub.ctx.db.kysely.selectFrom('bot_turns').select('id').where('conversation_id', '=', conversation.id).executeTakeFirst(), 'the first turn');
    const ended = await widgetCall(hub.app!, { url: '/end', token: visitorToken, body: {} });
    expect(ended.statusCode).toBeLessThan(300);
    const outcome = await waitFor(() => currentOutcome(hub.ctx.db.kysely, conversation.id), 'the outcome');
    expect(outcome).toMatchObject({ outcome: 'cut_off', weight_pct: 30, reason: 'contact_left' });
    const row = await hub.ctx.db.kysely.selectFrom('conversations').select('status').where('id', '=', conversation.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('abandoned');
  });
});
