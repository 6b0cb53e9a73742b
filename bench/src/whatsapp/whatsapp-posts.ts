import { signBody } from '@ventanilla/connectors/core';
import { messageWebhook } from '../../../test/harness/whatsapp/index.js';
import type { PreparedPost } from '../ingest/http-load.js';
import { mulberry32 } from '../prng.js';

const TEXTS = [
  'Buenas tardes, ¿ya está lista mi credencial?',
  'Hola, quiero agendar una cita para mi pasaporte',
  '¿Qué documentos necesito para renovar mi licencia?',
  'No me llegó el correo de confirmación de mi trámite',
  'Gracias, ya quedó',
  'Sigo esperando respuesta de mi solicitud',
];
const NAMES = ['María López', 'José Hernández', 'Guadalupe García', 'Juan Martínez', 'Fernanda Pérez', 'Luis Ramírez'];

/** Meta reports a Mexican mobile as its wa_id with the legacy 1: 521 + 55 1xxx xxxx (Mexico City). */
export function citizenWaId(citizen: number): string {
  return `52155${String(10_000_000 + (citizen % 9_000_000)).slice(-8)}`;
}

/** The wamids of one phase share a prefix, so the stored rows can be counted with one LIKE. */
export function benchWamidPrefix(runId: string, phase: string): string {
  return `wamid.bench-${runId}-${phase}-`;
}

/**
 * `count` Cloud API `messages` webhooks as Meta documents them (one text message each, citizen
 * `citizenOffset + i`: every request from a different citizen), signed over their exact bytes
 * with the app secret (`X-Hub-Signature-256: sha256=<hex>`) as Meta signs them.
 */
export function buildWhatsAppPosts(input: {
  runId: string;
  phase: string;
  count: number;
  citizenOffset: number;
  channelId: string;
  phoneNumberId: string;
  appSecret: string;
  seed: number;
}): PreparedPost[] {
  const rng = mulberry32(input.seed);
  const path = `/webhooks/whatsapp/${input.channelId}`;
  const prefix = benchWamidPrefix(input.runId, input.phase);
  const posts: PreparedPost[] = [];
  for (let i = 0; i < input.count; i++) {
    const citizen = input.citizenOffset + i;
    const { body } = messageWebhook(input.phoneNumberId, {
      from: citizenWaId(citizen),
      name: NAMES[citizen % NAMES.length],
      id: `${prefix}${i}`,
      type: 'text',
      text: `${TEXTS[Math.floor(rng() * TEXTS.length)] ?? ''} [${input.phase} ${i}]`,
    });
    const bytes = Buffer.from(JSON.stringify(body));
    posts.push({
      path,
      body: bytes,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(input.appSecret, bytes), 'user-agent': 'facebookexternalua' },
    });
  }
  return posts;
}
