import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';

/** Rows of campaign A that only some routes need: a foreign caller must meet a real row, not a 404 of a random id. */
export interface ExtraFixtures {
  contact2: string;
  outage: string;
  penalty: string;
  scorecard: string;
  reportToken: string;
  ivrModel: string;
  callback: string;
  threshold: string;
  whatsappWebChannel: string;
  voiceChannel: string;
  blast: string;
  mailing: string;
  massSms: string;
  callSid: string;
  /** A call of campaign A on the voice channel, assigned to the agent (the call-control routes' resource). */
  voiceConversation: string;
  sample: string;
  file: string;
}

export async function seedExtras(
  db: Kysely<Database>,
  ids: { campaignId: string; channelId: string; conversationId: string; contactId: string; adminId: string; agentId: string; analystId: string },
): Promise<ExtraFixtures> {
  const { campaignId, channelId, conversationId, adminId } = ids;
  const contact2 = await db.insertInto('contacts').values({ display_name: 'Ciudadano duplicado' }).returning('id').executeTakeFirstOrThrow();
  const { folio } = await db.selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(campaignId)]).as('folio')).executeTakeFirstOrThrow();
  // The second contact is seen only through a conversation of campaign A.
  await db.insertInto('conversations').values({ folio, campaign_id: campaignId, channel_id: channelId, contact_id: contact2.id, status: 'resolved' }).execute();
  const outage = await db
    .insertInto('sla_outages')
    .values({ campaign_id: campaignId, started_at: '2026-01-10T10:00:00Z', ended_at: '2026-01-10T11:00:00Z', description: 'Caída del conmutador' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const penalty = await db
    .insertInto('billing_penalties')
    .values({ campaign_id: campaignId, month: '2026-01', kind: 'fixed', units: 1, amount_per_unit_cents: 1000, description: 'Pena de prueba' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const scorecard = await db
    .insertInto('quality_scorecards')
    .values({ campaign_id: campaignId, name: 'Guía', version: 1, status: 'draft', items: JSON.stringify([{ id: 'saludo', label: 'Saluda', weight: 100, critical: false }]) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reportToken = await db
    .insertInto('report_tokens')
    .values({ campaign_id: campaignId, name: 'BI', token_hash: randomBytes(32).toString('hex'), token_prefix: 'vt_abc', created_by: adminId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ivrModel = await db.insertInto('ivr_models').values({ campaign_id: campaignId, version: 1, status: 'draft', tree: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow();
  const callback = await db
    .insertInto('voice_callbacks')
    .values({ campaign_id: campaignId, channel_id: channelId, conversation_id: conversationId, source: 'api', phone: '+525512345678', due_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const threshold = await db.insertInto('wallboard_thresholds').values({ campaign_id: campaignId, metric: 'waiting', value: 5 }).returning('id').executeTakeFirstOrThrow();
  const channel = (kind: string, name: string, settings: object, secrets: object) =>
    db.insertInto('channels').values({ campaign_id: campaignId, kind, name, settings: JSON.stringify(settings), secrets: JSON.stringify(secrets) }).returning('id').executeTakeFirstOrThrow();
  const whatsappWeb = await channel('whatsapp_web', 'WhatsApp Web', {}, {});
  // A closed local port: nothing the hub tries to call on Twilio's behalf leaves the machine.
  const nowhere = 'http://127.0.0.1:9';
  const voice = await channel('voice', 'Voz', { accountSid: `AC${'0'.repeat(32)}`, callerId: '+525500000000', webhookBaseUrl: nowhere, apiBaseUrl: nowhere }, { authToken: 'token-secreto' });
  const blast = await db.insertInto('voice_blasts').values({ campaign_id: campaignId, channel_id: voice.id, name: 'Aviso', message_text: 'Aviso', options: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow();
  const mailing = await db
    .insertInto('mass_mailings')
    .values({ campaign_id: campaignId, channel_id: channelId, name: 'Boletín', subject: 'Aviso', body_text: 'Hola' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const massSms = await db.insertInto('mass_sms').values({ campaign_id: campaignId, channel_id: channelId, name: 'SMS', body: 'Hola' }).returning('id').executeTakeFirstOrThrow();
  const { folio: voiceFolio } = await db.selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(campaignId)]).as('folio')).executeTakeFirstOrThrow();
  const voiceConversation = await db
    .insertInto('conversations')
    .values({ folio: voiceFolio, campaign_id: campaignId, channel_id: voice.id, contact_id: ids.contactId, status: 'assigned', assignee_id: ids.agentId, channel_class: 'voice' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const callSid = `CA${randomUUID().replaceAll('-', '')}`;
  await db
    .insertInto('voice_calls')
    .values({ call_sid: callSid, channel_id: voice.id, campaign_id: campaignId, conversation_id: voiceConversation.id, from_number: '+525512345678', to_number: '+525500000000', status: 'in-progress', ivr_state: null, outcome: null })
    .execute();
  const sample = await db
    .insertInto('quality_samples')
    .values({ campaign_id: campaignId, channel_kind: 'api', month: '2026-01', sample_size: 1, population: 1, seed: 'semilla', drawn_by: adminId, drawn_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('quality_sample_items').values({ sample_id: sample.id, conversation_id: conversationId, position: 1, analyst_id: ids.analystId, assigned_at: new Date() }).execute();
  const file = randomUUID();
  await db
    .insertInto('files')
    .values({ id: file, conversation_id: conversationId, channel_id: channelId, campaign_id: campaignId, filename: 'acta.pdf', mime_type: 'application/pdf', size: 4, sha256: '0'.repeat(64), storage_key: `authz/${file}` })
    .execute();
  return {
    voiceConversation: voiceConversation.id,
    sample: sample.id,
    file,
    contact2: contact2.id,
    outage: outage.id,
    penalty: penalty.id,
    scorecard: scorecard.id,
    reportToken: reportToken.id,
    ivrModel: ivrModel.id,
    callback: callback.id,
    threshold: threshold.id,
    whatsappWebChannel: whatsappWeb.id,
    voiceChannel: voice.id,
    blast: blast.id,
    mailing: mailing.id,
    massSms: massSms.id,
    callSid,
  };
}
