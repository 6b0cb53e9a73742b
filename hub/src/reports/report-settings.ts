import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Queue and agent names for the tables (ids stay in the JSON for BI joins). */
export async function loadNames(db: Kysely<Database>, campaignId: string, agentIds: readonly string[] = []): Promise<{ queues: Map<string, string>; agents: Map<string, string> }> {
  const queues = await db.selectFrom('queues').select(['id', 'name']).where('campaign_id', '=', campaignId).execute();
  const uuids = agentIds.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  const agents = uuids.length === 0 ? [] : await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', uuids).execute();
  return { queues: new Map(queues.map((q) => [q.id, q.name])), agents: new Map(agents.map((a) => [a.id, a.display_name])) };
}

const CHANNEL_KIND_LABELS: Record<string, { es: string; en: string }> = {
  voice: { es: 'Teléfono', en: 'Phone' },
  webchat: { es: 'Chat web', en: 'Web chat' },
  email: { es: 'Correo electrónico', en: 'E-mail' },
  whatsapp: { es: 'WhatsApp', en: 'WhatsApp' },
  whatsapp_web: { es: 'WhatsApp Web', en: 'WhatsApp Web' },
  meta: { es: 'Messenger / Instagram', en: 'Messenger / Instagram' },
  x: { es: 'X', en: 'X' },
  sms: { es: 'SMS', en: 'SMS' },
  api: { es: 'API', en: 'API' },
};

/** The channel kind as people say it (Spanish; the raw kind stays in the row for BI tools). */
export function channelKindLabel(kind: string | null): string {
  if (kind === null) return 'Sin canal';
  return CHANNEL_KIND_LABELS[kind]?.es ?? kind;
}
