import type { Db } from '@ventanilla/hub';
import { bearer, tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

// kysely is a dependency of the hub package, not of test/: reach its types through the hub.
type Kysely = Db['kysely'];

export type Method = 'GET' | 'POST' | 'PUT';

export interface ConsoleWorld {
  hub: TestHub;
  db: Kysely;
  campaignId: string;
  otherCampaignId: string;
  channelId: string;
  tokens: { trainer: string; admin: string; supervisor: string; agent: string; foreignTrainer: string };
  trainerId: string;
  api(method: Method, path: string, token: string, payload?: object): Promise<{ status: number; json: <T>() => T; body: string; headers: Record<string, unknown> }>;
  cleanup(): Promise<void>;
}

/** A hub on its own schema, a campaign with an API channel, and one user per role the console cares about. */
export async function consoleWorld(): Promise<ConsoleWorld> {
  const hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  const campaignId = (await createCampaign(db, { name: 'Derechohabientes' })).id;
  const otherCampaignId = (await createCampaign(db, { name: 'Contribuyentes' })).id;
  const channelId = (await createApiChannel(db, campaignId)).channel.id;
  const trainer = await createUser(db, { roles: ['trainer'], campaignIds: [campaignId] });
  const tokens = {
    trainer: await tokenFor(db, trainer.id),
    admin: await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id),
    supervisor: await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId] })).id),
    agent: await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaignId] })).id),
    foreignTrainer: await tokenFor(db, (await createUser(db, { roles: ['trainer'], campaignIds: [otherCampaignId] })).id),
  };
  return {
    hub,
    db,
    campaignId,
    otherCampaignId,
    channelId,
    tokens,
    trainerId: trainer.id,
    async api(method, path, token, payload) {
      const res = await hub.app.inject({
        method,
        url: `/api/v1/campaigns/${campaignId}/bot${path}`,
        headers: bearer(token),
        ...(payload === undefined ? {} : { payload }),
      });
      return { status: res.statusCode, json: <T>() => res.json<T>(), body: res.body, headers: res.headers };
    },
    cleanup: () => hub.cleanup(),
  };
}

/** A small Spanish model that trains in a second or two: four intents, a flow that collects an NSS. */
export function smallModel(name = 'Asistente IMSS') {
  return {
    name,
    threshold: 0.6,
    intents: [
      {
        name: 'saludo',
        phrases: { es: ['hola', 'buenos días', 'buenas tardes', 'qué tal', 'hola buenas noches', 'buen día', 'saludos', 'hola qué tal'], en: [] },
        answers: [{ es: '¡Hola! ¿En qué le puedo ayudar?' }],
      },
      {
        name: 'semanas_cotizadas',
        phrases: {
          es: [
            'cuántas semanas cotizadas tengo',
            'quiero saber mis semanas cotizadas',
            'consultar semanas cotizadas',
            'constancia de semanas cotizadas',
            'cómo saco mis semanas cotizadas',
            'necesito el reporte de semanas cotizadas',
            'dónde veo cuántas semanas he cotizado',
            'semanas cotizadas en el imss',
          ],
          en: [],
        },
        flow: 'semanas',
      },
      {
        name: 'alta_clinica',
        phrases: {
          es: [
            'cómo me doy de alta en la clínica',
            'quiero darme de alta en mi unidad de medicina familiar',
            'alta en la clínica familiar',
            'registrarme en la umf',
            'asignación de clínica',
            'cuál es mi clínica',
            'cambiar de clínica familiar',
            'inscribirme en una clínica del imss',
          ],
          en: [],
        },
        answers: [{ es: 'Puede darse de alta en su Unidad de Medicina Familiar en línea con su CURP.' }],
      },
      {
        name: 'hablar_agente',
        phrases: {
          es: ['quiero hablar con un agente', 'pásame con una persona', 'necesito un asesor', 'hablar con alguien', 'comuníqueme con un humano', 'quiero un asesor humano', 'agente por favor', 'me atiende una persona'],
          en: [],
        },
        handoff: true,
      },
    ],
    flows: [
      {
        id: 'semanas',
        start: 'pedir-nss',
        steps: {
          'pedir-nss': {
            type: 'collect',
            field: 'nss',
            kind: 'nss',
            prompt: { es: 'Con gusto. ¿Cuál es su Número de Seguridad Social (11 dígitos)?' },
            invalid: { es: 'Ese NSS no es válido; revise los 11 dígitos.' },
            next: 'listo',
          },
          listo: { type: 'resolve', text: { es: 'Le enviaremos su constancia al correo registrado.' }, survey: false },
        },
      },
    ],
  };
}

/** A conversation of the campaign with a bot session and one turn, written as the runtime would. */
export async function botConversation(
  w: Pick<ConsoleWorld, 'db' | 'campaignId' | 'channelId'>,
  modelId: string,
  turn: { utterance: string; intent: string | null; score?: number; answeredBy?: 'intent' | 'flow' | 'kb' | 'fallback' | 'handoff'; review?: 'none' | 'pending'; language?: 'es' | 'en'; at?: Date },
) {
  const contact = await w.db.insertInto('contacts').values({ display_name: 'Ciudadana de prueba' }).returning('id').executeTakeFirstOrThrow();
  const { folio } = await w.db.selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(w.campaignId)]).as('folio')).executeTakeFirstOrThrow();
  const conversation = await w.db
    .insertInto('conversations')
    .values({ folio, campaign_id: w.campaignId, channel_id: w.channelId, contact_id: contact.id, status: 'resolved', closed_at: new Date() })
    .returning(['id', 'folio'])
    .executeTakeFirstOrThrow();
  const at = turn.at ?? new Date();
  const session = await w.db
    .insertInto('bot_sessions')
    .values({
      conversation_id: conversation.id,
      campaign_id: w.campaignId,
      model_id: modelId,
      state: JSON.stringify({ language: turn.language ?? 'es', fallbacks: 0, collected: {}, intents: turn.intent ? [turn.intent] : [], recent: [], turns: 1, greeted: true }),
      started_at: at,
      ended_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await w.db
    .insertInto('bot_turns')
    .values({
      session_id: session.id,
      conversation_id: conversation.id,
      campaign_id: w.campaignId,
      model_id: modelId,
      utterance: turn.utterance,
      language: turn.language ?? 'es',
      intent: turn.intent,
      score: turn.score ?? 0.9,
      answered_by: turn.answeredBy ?? 'intent',
      review: turn.review ?? 'none',
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { conversationId: conversation.id, folio: conversation.folio, sessionId: session.id, turnId: row.id };
}

/** A model row written straight to the table (role checks and metrics need one, not a trained NLU). */
export async function insertModelRow(w: Pick<ConsoleWorld, 'db' | 'campaignId'>, version: number, status: 'draft' | 'production' | 'archived', model: object = { name: `Modelo v${version}`, intents: [] }) {
  return w.db
    .insertInto('bot_models')
    .values({
      campaign_id: w.campaignId,
      version,
      status,
      model: JSON.stringify(model),
      ...(status === 'draft' ? {} : { trained: '{}', training: JSON.stringify({ durationMs: 1, accuracy: 1, folds: 2, perIntent: {}, trainedAt: new Date().toISOString() }), promoted_at: new Date() }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
