import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Db } from '@ventanilla/hub';

type Kysely = Db['kysely'];
const DAY_MS = 86_400_000;

export const daysAgo = (days: number): Date => new Date(Date.now() - days * DAY_MS);

/** A message written `days` ago (rows the ingest worker would have written, inserted directly). */
export async function insertMessage(db: Kysely, input: { conversationId: string; channelId: string; text: string; days: number; direction?: 'inbound' | 'outbound' }) {
  return db
    .insertInto('messages')
    .values({
      conversation_id: input.conversationId,
      channel_id: input.channelId,
      direction: input.direction ?? 'inbound',
      sender_type: input.direction === 'outbound' ? 'agent' : 'contact',
      content_type: 'text',
      text: input.text,
      attachments: JSON.stringify([{ url: 'https://media.example/x', caption: `foto de ${input.text}` }]),
      raw: JSON.stringify({ body: input.text }),
      status: 'received',
      created_at: daysAgo(input.days),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A file row and its bytes under dataDir, uploaded `days` ago. */
export async function insertFile(db: Kysely, dataDir: string, input: { campaignId: string; conversationId: string; days: number }) {
  const id = randomUUID();
  const storageKey = `files/test/${id}`;
  const path = join(dataDir, storageKey);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, randomBytes(64));
  await db
    .insertInto('files')
    .values({
      id,
      conversation_id: input.conversationId,
      campaign_id: input.campaignId,
      filename: 'receta-medica.pdf',
      mime_type: 'application/pdf',
      size: 64,
      sha256: 'a'.repeat(64),
      storage_key: storageKey,
      uploaded_by: null,
      created_at: daysAgo(input.days),
    })
    .execute();
  return { id, path };
}

export async function insertRecording(db: Kysely, input: { campaignId: string; channelId: string; conversationId: string; folio: string; days: number }) {
  const recordingSid = `RE${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('voice_recordings')
    .values({
      recording_sid: recordingSid,
      call_sid: `CA${randomBytes(16).toString('hex')}`,
      conversation_id: input.conversationId,
      folio: input.folio,
      campaign_id: input.campaignId,
      channel_id: input.channelId,
      url: `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${recordingSid}`,
      duration: 30,
      status: 'completed',
      started_at: daysAgo(input.days),
    })
    .execute();
  return recordingSid;
}
