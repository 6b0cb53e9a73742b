import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Db } from '@ventanilla/hub';

type Kysely = Db['kysely'];

let folioCounter = 0;
const sid = (prefix: 'CA' | 'RE') => `${prefix}${randomBytes(16).toString('hex')}`;
const nextFolio = (prefix: 'CITA' | 'TRAM') => `${prefix}-20261120-${String(++folioCounter).padStart(6, '0')}`;

/** The personal data one citizen left across the hub (rows the workers would have written). */
export interface Citizen {
  name: string;
  nss: string;
  curp: string;
  phone: string;
  email: string;
}

export async function insertAppointment(
  db: Kysely,
  input: { campaignId: string; officialId: string; familyGroupId: string; contactId?: string | null; status?: 'attended' | 'cancelled'; caseId?: string | null; birthDate?: string | null; cancelReason?: string },
) {
  const cancelled = input.status === 'cancelled';
  return db
    .insertInto('appointments')
    .values({
      campaign_id: input.campaignId,
      folio: nextFolio('CITA'),
      calendar_version: 1,
      office_id: 'of-centro',
      room_id: 'c1',
      service_id: 'mf',
      shift_id: 'c1-mat',
      local_date: '2026-11-20',
      starts_at: '2026-11-20T16:00:00Z',
      ends_at: '2026-11-20T16:20:00Z',
      status: input.status ?? 'attended',
      contact_id: input.contactId ?? null,
      official_id_kind: /^\d{11}$/.test(input.officialId) ? 'nss' : 'curp',
      official_id: input.officialId,
      family_group_id: input.familyGroupId,
      channel: 'portal',
      booked_by_kind: 'portal',
      birth_date: input.birthDate ?? null,
      case_id: input.caseId ?? null,
      ...(cancelled ? { cancelled_at: '2026-11-19T10:00:00Z', cancel_reason: input.cancelReason ?? 'No puedo asistir' } : {}),
    })
    .returning(['id', 'folio'])
    .executeTakeFirstOrThrow();
}

/** A procedure, a case of `citizen` opened on the portal, one uploaded document (bytes under dataDir) and a notice. */
export async function insertCase(db: Kysely, dataDir: string, input: { campaignId: string; citizen: Citizen; caseEmail: string; casePhone: string }) {
  const procedureId = `tram-${randomBytes(4).toString('hex')}`;
  await db.insertInto('appointment_procedures').values({ id: procedureId, campaign_id: input.campaignId, name: 'Pensión', service_id: 'mf', requirements: '[]' }).execute();
  const row = await db
    .insertInto('appointment_cases')
    .values({
      folio: nextFolio('TRAM'),
      campaign_id: input.campaignId,
      procedure_id: procedureId,
      full_name: input.citizen.name,
      official_id_kind: 'curp',
      official_id: input.citizen.curp,
      birth_date: '1990-01-01',
      email: input.caseEmail,
      phone: input.casePhone,
      channel: 'portal',
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const storageKey = `case-documents/test/${randomUUID()}`;
  const path = join(dataDir, storageKey);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, randomBytes(32));
  await db
    .insertInto('appointment_case_documents')
    .values({
      case_id: row.id,
      campaign_id: input.campaignId,
      requirement_id: 'ine',
      version: 1,
      storage_key: storageKey,
      file_name: `INE ${input.citizen.name}.pdf`,
      mime_type: 'application/pdf',
      size: 32,
      sha256: 'b'.repeat(64),
    })
    .execute();
  await db.insertInto('appointment_case_notices').values({ case_id: row.id, text: `Estimada ${input.citizen.name}, su INE fue aprobada` }).execute();
  return { id: row.id, documentPath: path };
}

/** An inbound call whose IVR captured the NSS, a voicemail and a pending call-back in `conversation`. */
export async function insertVoiceTrail(db: Kysely, input: { campaignId: string; channelId: string; conversation: { id: string; folio: string }; citizen: Citizen; callerNumber: string }) {
  const callSid = sid('CA');
  const path = [{ node: 'menu', input: '2' }, { node: 'pedir-nss', input: input.citizen.nss }];
  await db
    .insertInto('voice_calls')
    .values({
      call_sid: callSid,
      channel_id: input.channelId,
      campaign_id: input.campaignId,
      conversation_id: input.conversation.id,
      from_number: input.callerNumber,
      to_number: '+525550000000',
      status: 'completed',
      ivr_state: JSON.stringify({ node: 'fin', attempts: 0, collected: { nss: input.citizen.nss }, heard: {}, path }),
      outcome: JSON.stringify({ type: 'queue', collected: { nss: input.citizen.nss }, path }),
      agent_id: null,
      parent_call_sid: null,
      conference_name: null,
      conference_sid: null,
      twilio_duration: 60,
    })
    .execute();
  const voicemail = await db
    .insertInto('voice_voicemails')
    .values({
      campaign_id: input.campaignId,
      channel_id: input.channelId,
      conversation_id: input.conversation.id,
      folio: input.conversation.folio,
      call_sid: callSid,
      recording_sid: sid('RE'),
      recording_url: `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${sid('RE')}`,
      duration_seconds: 20,
      from_number: input.callerNumber,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('voice_callbacks')
    .values({
      campaign_id: input.campaignId,
      channel_id: input.channelId,
      conversation_id: input.conversation.id,
      source: 'voicemail',
      phone: input.callerNumber,
      name: input.citizen.name,
      note: `Llamar a ${input.citizen.name} por su pensión`,
      voicemail_id: voicemail.id,
      outcome: null,
      last_call_sid: null,
      agent_id: null,
      origin_call_sid: callSid,
      requested_by: null,
    })
    .execute();
  return { callSid };
}

export async function insertWebchatSession(db: Kysely, input: { campaignId: string; channelId: string; citizen: Citizen; phone: string; ip: string }) {
  const visitorId = randomUUID();
  await db
    .insertInto('webchat_sessions')
    .values({
      visitor_id: visitorId,
      channel_id: input.channelId,
      campaign_id: input.campaignId,
      origin: 'https://tramites.example.gob.mx',
      name: input.citizen.name,
      email: input.citizen.email,
      phone: input.phone,
      topic: `Pensión de ${input.citizen.name}`,
      ip: input.ip,
      user_agent: 'Mozilla/5.0 (Linux; Android 14; Moto G)',
    })
    .execute();
  return visitorId;
}

export async function insertMassLists(db: Kysely, input: { campaignId: string; smsChannelId: string; emailChannelId: string; voiceChannelId: string }) {
  const sms = await db
    .insertInto('mass_sms')
    .values({ campaign_id: input.campaignId, channel_id: input.smsChannelId, name: 'Aviso de pensión', body: 'Hola {{nombre}}', status: 'sending' })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const mailing = await db
    .insertInto('mass_mailings')
    .values({ campaign_id: input.campaignId, channel_id: input.emailChannelId, name: 'Boletín', subject: 'Aviso', body_text: 'Hola {{nombre}}', status: 'sending' })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const blast = await db
    .insertInto('voice_blasts')
    .values({ campaign_id: input.campaignId, channel_id: input.voiceChannelId, name: 'Recordatorio', message_text: 'Hola {{nombre}}', options: '{}', queue_id: null, start_at: null, window_start_minute: null, window_end_minute: null, status: 'running' })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return { massSmsId: sms.id, mailingId: mailing.id, blastId: blast.id };
}

export async function insertBlastRecipient(db: Kysely, blastId: string, input: { line: number; phone: string; name: string }) {
  await db.insertInto('voice_blast_recipients').values({ blast_id: blastId, line: input.line, phone: input.phone, name: input.name, variables: JSON.stringify({ nombre: input.name }) }).execute();
}

export async function insertSmsRecipient(db: Kysely, massSmsId: string, input: { phone: string; name: string; status: 'pending' | 'delivered' }) {
  await db
    .insertInto('mass_sms_recipients')
    .values({
      mass_sms_id: massSmsId,
      phone: input.phone,
      name: input.name,
      variables: JSON.stringify({ nombre: input.name }),
      status: input.status,
      ...(input.status === 'delivered' ? { sent_at: '2026-11-20T10:00:00Z', delivered_at: '2026-11-20T10:00:05Z' } : {}),
    })
    .execute();
}

export async function insertMailRecipient(db: Kysely, mailingId: string, input: { email: string; name: string }) {
  await db.insertInto('mass_mailing_recipients').values({ mailing_id: mailingId, email: input.email, name: input.name, variables: JSON.stringify({ nombre: input.name }) }).execute();
}
