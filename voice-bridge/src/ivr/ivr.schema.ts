import { z } from 'zod';

/**
 * An IVR tree as data (issue 8 item 2; seed-digest §1.1, §3): per campaign, versioned like bot
 * models (draft → production), validated here and by validate-ivr-tree.ts (cross-references).
 * Prompts are text-to-speech (Spanish first) or an audio URL.
 */

const nodeId = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ or -, starting with a letter (max 64)');

export const promptSchema = z.union([
  z.strictObject({ text: z.string().trim().min(1).max(2000) }),
  z.strictObject({ audioUrl: z.url({ protocol: /^https?$/ }) }),
]);
export type IvrPrompt = z.infer<typeof promptSchema>;

const menuOption = z.strictObject({
  /** One keypad key: 0–9, * or #. */
  digit: z.string().regex(/^[0-9*#]$/),
  /** Spanish words that choose this option by voice ("agendar", "cita"). */
  speech: z.array(z.string().trim().min(1).max(60)).max(20).optional(),
  next: nodeId,
});

export const ivrNodeSchema = z.discriminatedUnion('type', [
  /** A menu: prompt, then one key (or words); no answer or a wrong key repeats it up to maxAttempts. */
  z.strictObject({
    type: z.literal('menu'),
    prompt: promptSchema,
    options: z.array(menuOption).min(1).max(12),
    /** Accept Spanish speech as well as keys. */
    speech: z.boolean().default(true),
    invalid: promptSchema.optional(),
    maxAttempts: z.number().int().min(1).max(5).default(3),
    timeoutSeconds: z.number().int().min(1).max(30).default(6),
    /** After maxAttempts: this node (e.g. the agents' queue); default: hang up politely. */
    onFail: nodeId.optional(),
  }),
  /** Information read to the caller, then on to `next` (or hang up at the end). */
  z.strictObject({ type: z.literal('say'), prompt: promptSchema, next: nodeId.optional() }),
  /** The privacy notice (aviso de privacidad), read before data capture. */
  z.strictObject({ type: z.literal('privacy'), prompt: promptSchema, next: nodeId }),
  /** Data by keypad: NSS (11 digits), CURP (speech), digits, date (DDMMAAAA). */
  z.strictObject({
    type: z.literal('capture'),
    field: nodeId,
    kind: z.enum(['nss', 'curp', 'digits', 'date']),
    prompt: promptSchema,
    invalid: promptSchema,
    /** For `digits`: how many (default: until #). */
    numDigits: z.number().int().min(1).max(30).optional(),
    maxAttempts: z.number().int().min(1).max(5).default(3),
    next: nodeId,
    onFail: nodeId.optional(),
  }),
  /** Reads back a folio's status (the folio captured in `field`), then `next`. */
  z.strictObject({ type: z.literal('folio_status'), field: nodeId, found: promptSchema, notFound: promptSchema, next: nodeId.optional() }),
  /** Branches on the campaign's business hours and holidays. */
  z.strictObject({ type: z.literal('hours'), open: nodeId, closed: nodeId, holiday: nodeId.optional() }),
  /** Into the router's line: a queue of the campaign, or the queue requiring a skill; none: the channel's queue. */
  z.strictObject({ type: z.literal('queue'), prompt: promptSchema.optional(), queueId: z.uuid().optional(), skill: z.string().min(1).max(64).optional() }),
  /** To another campaign's line. */
  z.strictObject({ type: z.literal('transfer_campaign'), prompt: promptSchema.optional(), campaignId: z.uuid() }),
  /** To an external number (E.164). */
  z.strictObject({ type: z.literal('dial'), prompt: promptSchema.optional(), number: z.string().regex(/^\+[1-9]\d{7,14}$/) }),
  z.strictObject({ type: z.literal('hangup'), prompt: promptSchema.optional() }),
  /** A voicemail: the prompt, then the recording (the hub's voicemail module); `maxSeconds` overrides the channel's. */
  z.strictObject({ type: z.literal('voicemail'), prompt: promptSchema.optional(), maxSeconds: z.number().int().min(10).max(600).optional() }),
  /**
   * A call-back request: the prompt, then the hub creates the call-back and says `confirm`
   * ({{phone}} and {{folio}} are filled in). The number is the caller's, or the one captured in `phoneField`.
   */
  z.strictObject({ type: z.literal('callback'), prompt: promptSchema.optional(), confirm: promptSchema, phoneField: nodeId.optional() }),
]);
export type IvrNode = z.infer<typeof ivrNodeSchema>;

export const ivrTreeSchema = z.strictObject({
  schemaVersion: z.literal(1).default(1),
  name: z.string().trim().min(1).max(200),
  /** Twilio <Say> language and voice. */
  language: z.enum(['es-MX', 'en-US']).default('es-MX'),
  voice: z.string().min(1).max(60).default('Polly.Mia'),
  start: nodeId,
  nodes: z.record(nodeId, ivrNodeSchema),
  /** Said before hanging up a caller who heard the same information twice already (seed L1531). */
  repeatedGoodbye: promptSchema.default({ text: 'Ya le compartimos esta información. Gracias por llamar; hasta luego.' }),
});
export type IvrTree = z.infer<typeof ivrTreeSchema>;
export type IvrTreeInput = z.input<typeof ivrTreeSchema>;
