/**
 * Telling a citizen something about their appointment or case (a reminder, a confirmation request,
 * a reviewer's decision, the post-visit survey) on the channel they came from (issue 11).
 *
 * 1. The origin conversation when there is one and it can carry the notice (WhatsApp outside its
 *    24 h customer-service window only with an approved template).
 * 2. Else the first kind of `preferredKinds` (default WhatsApp, SMS, e-mail) with an enabled
 *    channel of the campaign and an address for it (a phone for WhatsApp and SMS, an e-mail for
 *    e-mail); WhatsApp only inside the window of an open conversation or with an approved template
 *    of the channel's catalogue, else the next kind. The citizen's contact is the owner of that
 *    phone or e-mail (as the ingest finds it), or the given contact, or a new one.
 * 3. Nothing fits: HUB_ERR_APPOINTMENT_NO_NOTICE_CHANNEL, with every kind tried and why not.
 *
 * A notice is not work for an agent: without an open conversation on that channel it goes into a
 * new conversation opened already closed (`resolved`), which no queue and no bot sees. The
 * citizen's reply finds no open conversation there, so the ingest opens a new one (normal flow),
 * and the appointments' reply hook matches it by contact (reminders/appointment-reply.usecase.ts).
 */
import { adapterFor } from '@ventanilla/connectors/core';
import { templatesOf } from '@ventanilla/connectors/core';
import { sql, type Transaction } from 'kysely';
import { normalizeEmail, normalizePhone } from '../../contacts/identity-normalize.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import type { OutboxNotification } from '../../outbox/outbox.js';
import { storeSystemMessages } from '../../outbound/system-message.js';

export type NoticeKind = 'whatsapp' | 'sms' | 'email';
export const NOTICE_KINDS: readonly NoticeKind[] = ['whatsapp', 'sms', 'email'];

/** Where a notice goes: the origin conversation when there is one, else the citizen's address on a channel kind. */
export interface CitizenAddress {
  readonly campaignId: string;
  readonly conversationId?: string | null;
  readonly contactId?: string | null;
  readonly phone?: string | null;
  readonly email?: string | null;
  /** Which channel kind to open an outbound conversation on when there is no conversation (in this order). */
  readonly preferredKinds?: readonly NoticeKind[];
}

export interface NoticeOptions {
  readonly now?: Date;
  /** The e-mail's subject (messages.meta.subject); other channels ignore it. */
  readonly subject?: string;
  /** WhatsApp outside its window: this template of the channel's catalogue (its body carries the variables). */
  readonly whatsappTemplate?: { readonly name: string; readonly language: string; readonly variables: readonly string[] } | null;
}

export interface CitizenNotice {
  /** The conversation the notice was stored in (existing or opened). */
  readonly conversationId: string;
  readonly contactId: string;
  readonly channelKind: string;
  /** Enqueue these for the outbound worker after commit (deliverMessage). */
  readonly messageIds: readonly string[];
  readonly notifications: readonly OutboxNotification[];
  /** Kinds passed over before this one, and why (a WhatsApp without template, no channel …). */
  readonly skipped: readonly { readonly kind: string; readonly reason: string }[];
}

interface Target {
  readonly conversation: { id: string; channel_id: string; campaign_id: string; folio: string; contact_id: string };
  readonly kind: string;
  readonly template: { name: string; language: string; variables: string[] } | null;
}

type Trx = Transaction<Database>;

const WHATSAPP_WINDOW_HOURS = adapterFor('whatsapp').capabilities.customerServiceWindowHours ?? 24;

/** Stores the notice as a pending system message in the caller's transaction; the caller enqueues after commit. */
export async function noticeCitizen(trx: Trx, address: CitizenAddress, text: string, options: NoticeOptions = {}): Promise<CitizenNotice> {
  const now = options.now ?? new Date();
  const skipped: { kind: string; reason: string }[] = [];
  let contactId = address.contactId ?? null;
  let target: Target | null = null;

  if (address.conversationId) {
    const origin = await trx
      .selectFrom('conversations')
      .innerJoin('channels', 'channels.id', 'conversations.channel_id')
      .select(['conversations.id', 'conversations.channel_id', 'conversations.campaign_id', 'conversations.folio', 'conversations.contact_id', 'conversations.last_inbound_at', 'channels.kind', 'channels.settings'])
      .where('conversations.id', '=', address.conversationId)
      .where('conversations.campaign_id', '=', address.campaignId)
      .executeTakeFirst();
    if (origin) {
      contactId ??= origin.contact_id;
      const template = origin.kind === 'whatsapp' ? whatsappContent(origin.settings, origin.last_inbound_at, now, options) : { ok: true as const, template: null };
      if (template.ok) target = { conversation: origin, kind: origin.kind, template: template.template };
      else skipped.push({ kind: `conversation:${origin.kind}`, reason: template.reason });
    } else {
      skipped.push({ kind: 'conversation', reason: 'la conversación de origen no existe en la campaña / origin conversation not in the campaign' });
    }
  }

  if (!target) {
    const known = contactId ? await knownAddresses(trx, contactId) : { phone: null, email: null };
    const phone = (address.phone ? normalizePhone(address.phone) : null) ?? known.phone;
    const email = (address.email ? normalizeEmail(address.email) : null) ?? known.email;
    for (const kind of address.preferredKinds ?? NOTICE_KINDS) {
      const value = kind === 'email' ? email : phone;
      if (!value) {
        skipped.push({ kind, reason: kind === 'email' ? 'sin correo / no e-mail' : 'sin teléfono válido / no valid phone' });
        continue;
      }
      const channel = await trx
        .selectFrom('channels')
        .select(['id', 'settings'])
        .where('campaign_id', '=', address.campaignId)
        .where('kind', '=', kind)
        .where('enabled', '=', true)
        .orderBy('created_at')
        .limit(1)
        .executeTakeFirst();
      if (!channel) {
        skipped.push({ kind, reason: 'la campaña no tiene ese canal habilitado / no enabled channel of that kind' });
        continue;
      }
      const owner = await contactFor(trx, kind === 'email' ? 'email' : 'phone', value, contactId);
      const open = await trx
        .selectFrom('conversations')
        .select(['id', 'channel_id', 'campaign_id', 'folio', 'contact_id', 'last_inbound_at'])
        .where('channel_id', '=', channel.id)
        .where('contact_id', '=', owner)
        .where('closed_at', 'is', null)
        .executeTakeFirst();
      const template = kind === 'whatsapp' ? whatsappContent(channel.settings, open?.last_inbound_at ?? null, now, options) : { ok: true as const, template: null };
      if (!template.ok) {
        skipped.push({ kind, reason: template.reason });
        continue;
      }
      const conversation = open ?? (await openNoticeConversation(trx, address.campaignId, channel.id, owner));
      target = { conversation, kind, template: template.template };
      break;
    }
  }
  if (!target) throw new HubError('HUB_ERR_APPOINTMENT_NO_NOTICE_CHANNEL', undefined, { skipped });

  const { conversation } = target;
  const stored = await storeSystemMessages(trx, [
    { conversationId: conversation.id, channelId: conversation.channel_id, campaignId: conversation.campaign_id, folio: conversation.folio, text },
  ]);
  const meta = {
    ...(target.template ? { template: target.template } : {}),
    ...(options.subject && target.kind === 'email' ? { subject: options.subject } : {}),
  };
  if (Object.keys(meta).length > 0) await trx.updateTable('messages').set({ meta: JSON.stringify(meta) }).where('id', 'in', stored.messageIds).execute();
  return {
    conversationId: conversation.id,
    contactId: conversation.contact_id,
    channelKind: target.kind,
    messageIds: stored.messageIds,
    notifications: stored.notifications,
    skipped,
  };
}

type WhatsAppContent = { ok: true; template: { name: string; language: string; variables: string[] } | null } | { ok: false; reason: string };

/** Free text inside the 24 h window; outside it only an approved template of this channel's catalogue. */
function whatsappContent(settings: unknown, lastInboundAt: Date | null, now: Date, options: NoticeOptions): WhatsAppContent {
  if (lastInboundAt && lastInboundAt.getTime() + WHATSAPP_WINDOW_HOURS * 3_600_000 > now.getTime()) return { ok: true, template: null };
  const wanted = options.whatsappTemplate;
  if (!wanted) return { ok: false, reason: 'fuera de la ventana de 24 h y sin plantilla configurada / outside the 24 h window and no template configured' };
  const template = templatesOf(settings).find((t) => t.name === wanted.name && t.language === wanted.language);
  if (!template) return { ok: false, reason: `la plantilla ${wanted.name} (${wanted.language}) no está en el catálogo del canal / template not in the channel's catalogue` };
  // The catalogue says how many variables the approved body takes: send exactly those.
  const variables = wanted.variables.slice(0, template.variables).map((v) => v.trim() || '-');
  while (variables.length < template.variables) variables.push('-');
  return { ok: true, template: { name: template.name, language: template.language, variables } };
}

async function knownAddresses(trx: Trx, contactId: string): Promise<{ phone: string | null; email: string | null }> {
  const rows = await trx
    .selectFrom('contact_identities')
    .select(['kind', 'value'])
    .where('contact_id', '=', contactId)
    .where('channel_id', 'is', null)
    .where('kind', 'in', ['phone', 'email'])
    .orderBy('created_at')
    .execute();
  return { phone: rows.find((r) => r.kind === 'phone')?.value ?? null, email: rows.find((r) => r.kind === 'email')?.value ?? null };
}

/**
 * The contact the ingest would file this citizen's reply under: the owner of the phone / e-mail
 * (following a merge), else the given contact with that identity added, else a new contact.
 */
async function contactFor(trx: Trx, kind: 'phone' | 'email', value: string, preferred: string | null): Promise<string> {
  const owner = async () => {
    const found = await sql<{ contact_id: string | null }>`SELECT contact_id FROM identity_owner(${JSON.stringify({ kind, value, channel_id: null })}::jsonb)`.execute(trx);
    return found.rows[0]?.contact_id ?? null;
  };
  const existing = await owner();
  if (existing) return existing;
  const contactId = preferred ?? (await trx.insertInto('contacts').values({ display_name: null }).returning('id').executeTakeFirstOrThrow()).id;
  await sql`INSERT INTO contact_identities (kind, value, channel_id, contact_id) VALUES (${kind}, ${value}, NULL, ${contactId}::uuid)
            ON CONFLICT ON CONSTRAINT contact_identities_unique DO NOTHING`.execute(trx);
  // A concurrent ingest may have registered the same number first: its contact wins.
  return (await owner()) ?? contactId;
}

/** Opened already closed: the notice is no agent's work and no queue's; a reply opens a new conversation. */
async function openNoticeConversation(trx: Trx, campaignId: string, channelId: string, contactId: string): Promise<Target['conversation']> {
  return trx
    .insertInto('conversations')
    .values({
      folio: sql<string>`next_folio(${campaignId}::uuid)`,
      campaign_id: campaignId,
      channel_id: channelId,
      contact_id: contactId,
      status: 'resolved',
      closed_at: sql<Date>`clock_timestamp()`,
      unread_count: 0,
    })
    .returning(['id', 'channel_id', 'campaign_id', 'folio', 'contact_id'])
    .executeTakeFirstOrThrow();
}
