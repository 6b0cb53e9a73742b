import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ChannelAdapter, ChannelCapabilities, EncodedOutbound, OutboundMessage } from '@ventanilla/connectors/core';
import type { Channel, Database } from '@ventanilla/hub';
import type { LoadedChannel } from '../../hub/src/channels/channel-store.js';
import { ingestMessage } from '../../hub/src/ingest/ingest-message.usecase.js';

/**
 * A channel the registry does not know, for hub generics no registered kind exercises yet
 * (service window, templates, media by reference): same contract, loaded by hand.
 */
export function testAdapter(capabilities: Partial<ChannelCapabilities>, extra: Partial<ChannelAdapter<unknown>> = {}): ChannelAdapter<unknown> & { encoded: OutboundMessage[] } {
  const encoded: OutboundMessage[] = [];
  return {
    kind: 'api',
    displayName: 'Prueba',
    ingress: 'webhook',
    capabilities: { text: true, media: true, location: false, interactive: true, templates: true, deliveryReceipts: true, readReceipts: true, maxTextLength: 4096, ...capabilities },
    settingsSchema: z.unknown(),
    secretNames: [],
    secretSource: 'provided',
    verifyRequest: () => ({ ok: false, reason: 'test adapter' }),
    decodeInbound: () => [],
    encodeOutbound(message: OutboundMessage): EncodedOutbound {
      encoded.push(message);
      return { body: message };
    },
    send: async (body) => ({ ok: true, providerMessageId: `prov-${z.object({ id: z.string() }).parse(body.body).id}` }),
    encoded,
    ...extra,
  };
}

export function loaded(row: Channel, adapter: ChannelAdapter<unknown>, settings: unknown): LoadedChannel {
  return { row, kind: 'api', adapter, settings, secrets: {} };
}

/** A citizen message stored through the real ingest path; returns its conversation. */
export async function citizenWrites(db: Kysely<Database>, channel: LoadedChannel, id: string, phone: string): Promise<{ conversationId: string; folio: string }> {
  const result = await ingestMessage(db, channel, {
    type: 'message',
    providerMessageId: id,
    occurredAt: new Date().toISOString(),
    contact: { phone },
    content: { type: 'text', text: 'Hola, necesito una cita' },
  });
  if (result.outcome !== 'stored') throw new Error('expected a stored message');
  return { conversationId: result.conversationId, folio: result.folio };
}
