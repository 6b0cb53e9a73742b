import { messageBody, signedHeaders } from '../../../test/support/webhook.js';
import { marker } from './agent-receiver.js';
import type { PreparedPost } from './http-load.js';
import { mulberry32 } from '../prng.js';

const TEXTS = [
  'Buenas tardes, quiero saber el estado de mi trámite de pensión',
  'Hola, ¿cuáles son mis semanas cotizadas?',
  'Necesito una cita en la clínica familiar',
  'No puedo descargar mi constancia de situación fiscal',
  '¿Qué documentos necesito para el alta de mi beneficiario?',
  'Me llegó un requerimiento y no entiendo qué debo hacer',
  'Gracias, ya quedó',
  'Sigo esperando respuesta de mi solicitud',
];
const GIVEN = ['María', 'José', 'Guadalupe', 'Juan', 'Fernanda', 'Luis', 'Ana', 'Carlos', 'Rosa', 'Miguel'];
const FAMILY = ['López', 'Hernández', 'García', 'Martínez', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Cruz'];


export interface PhaseMessages {
  posts: PreparedPost[];
  citizens: number;
}

/**
 * `count` signed webhook posts for one phase. Citizen k has the Mexico City number
 * 55 1xxx xxxx (a valid MX number); each phase draws from its own pool of `citizens`, so its
 * first message from each citizen opens a new conversation with a new folio.
 */
export function buildPhaseMessages(options: {
  runId: string;
  phase: string;
  count: number;
  citizens: number;
  citizenOffset: number;
  channelId: string;
  secret: string;
  seed: number;
}): PhaseMessages {
  const rng = mulberry32(options.seed);
  const path = `/webhooks/api/${options.channelId}`;
  const posts: PreparedPost[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < options.count; i++) {
    const citizen = options.citizenOffset + Math.floor(rng() * options.citizens);
    seen.add(citizen);
    const digits = String(10_000_000 + citizen).slice(-8);
    const body = messageBody({
      id: `bench-${options.runId}-${options.phase}-${i}`,
      phone: `55 ${digits.slice(0, 4)} ${digits.slice(4)}`,
      name: `${GIVEN[citizen % GIVEN.length]} ${FAMILY[Math.floor(citizen / GIVEN.length) % FAMILY.length]}`,
      text: `${TEXTS[Math.floor(rng() * TEXTS.length)]} ${marker(options.phase, i)}`,
    });
    posts.push({ path, body: Buffer.from(body), headers: signedHeaders(options.secret, body) });
  }
  return { posts, citizens: seen.size };
}
