import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { AgentEndpointKind } from '../../db/schema-voice-agent.js';

/** The softphone's Twilio Client identity of an agent (the access token's identity). */
export function clientIdentityOf(userId: string): string {
  return `agent-${userId}`;
}

export const agentEndpointBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('client') }),
  z.strictObject({
    kind: z.literal('phone'),
    address: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'número E.164, p. ej. +525512345678 / E.164 number, e.g. +525512345678'),
  }),
  z.strictObject({
    kind: z.literal('sip'),
    address: z.string().trim().regex(/^sip:[^@\s]+@\S+$/, 'dirección SIP, p. ej. sip:agente@pbx.ejemplo.gob.mx / SIP address, e.g. sip:agent@pbx.example.gob.mx'),
  }),
]);
export type AgentEndpointBody = z.infer<typeof agentEndpointBody>;

export interface AgentEndpointView {
  kind: AgentEndpointKind;
  address: string | null;
  /** Whether this is the agent's own setting or the channel default. */
  source: 'agent' | 'default';
}

export async function agentEndpointOf(db: Kysely<Database>, userId: string): Promise<{ kind: AgentEndpointKind; address: string | null } | null> {
  const row = await db.selectFrom('voice_agent_endpoints').select(['kind', 'address']).where('user_id', '=', userId).executeTakeFirst();
  return row ?? null;
}

export async function setAgentEndpoint(db: Kysely<Database>, userId: string, body: AgentEndpointBody, by: string): Promise<void> {
  const address = body.kind === 'client' ? null : body.address;
  await db
    .insertInto('voice_agent_endpoints')
    .values({ user_id: userId, kind: body.kind, address, updated_by: by })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ kind: body.kind, address, updated_by: by, updated_at: sql`clock_timestamp()` }))
    .execute();
}

/**
 * Where the agent's leg is dialed: their own phone or SIP address when they set one, else the
 * browser softphone. A channel whose default is `phone`/`sip` still needs each agent's address,
 * so an agent without one gets the softphone rather than no call at all.
 */
export async function agentDialAddress(db: Kysely<Database>, userId: string): Promise<string> {
  const own = await agentEndpointOf(db, userId);
  if (own && own.kind !== 'client' && own.address) return own.address;
  return `client:${clientIdentityOf(userId)}`;
}
