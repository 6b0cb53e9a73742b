import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { normalizeEmail, normalizePhone } from '../contacts/identity-normalize.js';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import type { CaptchaRegistry } from './captcha-registry.js';
import type { WidgetChannel } from './widget-channel.js';
import type { ParsedPrechatRequest } from './widget-requests.schema.js';
import type { PrechatFieldName, WidgetSessionCreated } from './widget.contract.js';
import { signVisitorToken, verifyVisitorToken } from './visitor-token.js';

export interface PrechatData {
  name: string | null;
  email: string | null;
  phone: string | null;
  topic: string | null;
}

interface Problem {
  path: string;
  message: string;
}

const FIELD_LABEL: Record<PrechatFieldName, string> = { name: 'nombre / name', email: 'correo / e-mail', phone: 'teléfono / phone', topic: 'tema / topic' };

/**
 * The pre-chat form against the channel's settings: required fields, e-mail and phone syntax,
 * a topic from the list. Fields the channel does not ask for are dropped, not stored.
 */
export function validatePrechat(channel: WidgetChannel, body: ParsedPrechatRequest): PrechatData {
  const problems: Problem[] = [];
  const data: PrechatData = { name: null, email: null, phone: null, topic: null };
  const topics = channel.settings.prechat.topics;
  for (const field of channel.settings.prechat.fields) {
    if (field.name === 'topic' && topics.length === 0) continue;
    const value = body[field.name];
    if (value === undefined) {
      if (field.required) problems.push({ path: field.name, message: `Falta el campo ${FIELD_LABEL[field.name]} / ${field.name} is required` });
      continue;
    }
    switch (field.name) {
      case 'name':
        data.name = value;
        break;
      case 'email': {
        const email = normalizeEmail(value);
        if (email) data.email = email;
        else problems.push({ path: 'email', message: 'Correo electrónico inválido / invalid e-mail address' });
        break;
      }
      case 'phone':
        // Kept as typed when valid (the agent reads it back to the citizen); never an identity.
        if (normalizePhone(value)) data.phone = value;
        else problems.push({ path: 'phone', message: 'Número telefónico inválido / invalid phone number' });
        break;
      case 'topic':
        if (topics.some((t) => t.id === value)) data.topic = value;
        else problems.push({ path: 'topic', message: 'Tema desconocido / unknown topic' });
        break;
    }
  }
  if (problems.length > 0) {
    throw new HubError('HUB_ERR_VALIDATION', `Revise el formulario / check the form — ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }
  return data;
}

/**
 * The pre-chat form (issue 5 items 2, 5): validated, CAPTCHA-checked, then a visitor row and a
 * token for this origin. A still-valid token from an earlier visit keeps the same visitor (and so
 * the same contact and history) and counts one more visit.
 */
export async function createVisitorSession(
  ctx: HubContext,
  captchas: CaptchaRegistry,
  channel: WidgetChannel & { origin: string },
  body: ParsedPrechatRequest,
  client: { ip: string; userAgent: string | null },
): Promise<WidgetSessionCreated & { resumed: boolean }> {
  const data = validatePrechat(channel, body);
  const captcha = channel.settings.captcha;
  if (!(await captchas[captcha.kind].verify(body.captcha, channel.row.id, captcha))) throw new HubError('HUB_ERR_WIDGET_CAPTCHA');

  const previous = body.visitorToken ? await earlierVisitor(ctx, channel, body.visitorToken) : null;
  const db = ctx.db.kysely;
  const userAgent = client.userAgent?.slice(0, 1000) ?? null;
  let visitorId: string | null = null;
  if (previous) {
    const resumed = await db
      .updateTable('webchat_sessions')
      .set({
        name: data.name ?? sql<string | null>`name`,
        email: data.email ?? sql<string | null>`email`,
        phone: data.phone ?? sql<string | null>`phone`,
        topic: data.topic ?? sql<string | null>`topic`,
        ip: client.ip,
        user_agent: userAgent,
        visit_count: sql<number>`visit_count + 1`,
        last_seen_at: new Date(),
      })
      .where('visitor_id', '=', previous)
      .where('channel_id', '=', channel.row.id)
      .returning('visitor_id')
      .executeTakeFirst();
    visitorId = resumed?.visitor_id ?? null;
  }
  const resumed = visitorId !== null;
  if (visitorId === null) {
    visitorId = randomUUID();
    await db
      .insertInto('webchat_sessions')
      .values({
        visitor_id: visitorId,
        channel_id: channel.row.id,
        campaign_id: channel.row.campaign_id,
        origin: channel.origin,
        ...data,
        ip: client.ip,
        user_agent: userAgent,
      })
      .execute();
  }
  const visitorToken = await signVisitorToken(ctx.config.JWT_SECRET, { visitorId, channelId: channel.row.id, origin: channel.origin });
  return { visitorId, visitorToken, resumed };
}

/**
 * The visitor of a token sent back with the form. An expired or unreadable one just starts a new
 * visitor; a valid one for another channel or site is refused, as on every other route.
 */
async function earlierVisitor(ctx: HubContext, channel: WidgetChannel & { origin: string }, token: string): Promise<string | null> {
  const claims = await verifyVisitorToken(ctx.config.JWT_SECRET, token).catch(() => null);
  if (!claims) return null;
  if (claims.channelId !== channel.row.id) throw new HubError('HUB_ERR_WIDGET_TOKEN_CHANNEL');
  if (claims.origin !== channel.origin) throw new HubError('HUB_ERR_WIDGET_ORIGIN');
  return claims.visitorId;
}
