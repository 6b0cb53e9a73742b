import { z } from 'zod';

/**
 * A campaign's bot model as trainers edit it in the intent console and as the institution
 * exports it (it owns its trees, seed-digest §4.4): intents with training phrases and answers
 * per language, custom entities, flows as data. Versioned in `bot_models.model`; validated
 * here before anything stores or trains it (flows/validate-flows.ts adds the cross-references
 * zod cannot see: dangling steps, unknown intents and flows).
 */

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const languageSchema = z.enum(LANGUAGES);

/** Text in Spanish (required: the citizen's first language) and optionally English. */
export const localizedTextSchema = z.object({
  es: z.string().trim().min(1).max(4000),
  en: z.string().trim().min(1).max(4000).optional(),
});
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** Names trainers give intents, entities, flows, steps and fields: `consulta_rfc`, `pedir-nss`. */
const slug = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ or -, starting with a letter (max 64)');

const phrase = z.string().trim().min(1).max(500);

/** The entities every model has; custom `enum` entities add to them. */
export const BUILTIN_ENTITIES = ['folio', 'nss', 'curp', 'rfc', 'date', 'phone', 'email', 'number'] as const;
export type BuiltinEntity = (typeof BUILTIN_ENTITIES)[number];

export const intentSchema = z.object({
  name: slug,
  description: z.string().max(500).optional(),
  /** Training phrases per language; Spanish first. At least one language must have phrases. */
  phrases: z.object({ es: z.array(phrase).max(2000).default([]), en: z.array(phrase).max(2000).default([]) }),
  /**
   * What the bot says when this intent matches (one of them, in the citizen's language), unless
   * `flow` is set: then the flow runs instead (its first step usually answers).
   */
  answers: z.array(localizedTextSchema).max(20).default([]),
  /** A flow to start when this intent matches. */
  flow: slug.optional(),
  /** Matching this intent asks for a person ("quiero hablar con un agente"): handoff at any point. */
  handoff: z.boolean().default(false),
});
export type IntentDef = z.infer<typeof intentSchema>;

export const entitySchema = z.object({
  name: slug,
  /** A closed list of values with synonyms per language (e.g. `tramite`: rfc, e.firma…). */
  values: z
    .array(
      z.object({
        value: z.string().trim().min(1).max(100),
        synonyms: z.object({ es: z.array(phrase).max(200).default([]), en: z.array(phrase).max(200).default([]) }),
      }),
    )
    .min(1)
    .max(500),
});
export type EntityDef = z.infer<typeof entitySchema>;

const link = z.object({ title: localizedTextSchema, url: z.url({ protocol: /^https?$/ }) });
const button = z.object({ id: slug, title: localizedTextSchema, next: slug });

/** What a `collect` step accepts: a built-in entity, a custom entity's name, free text or a name. */
export const collectKindSchema = z.union([z.enum([...BUILTIN_ENTITIES, 'name', 'text']), slug]);

/**
 * A step of a flow. A step that waits for the citizen (`message` with buttons, `collect`) takes
 * the next utterance; the others run straight on to `next`.
 * Templates: `{{field}}` in any text is replaced by a collected field (`{{folio}}`,
 * `{{status}}` after a `folio_status` step); unknown fields render empty.
 */
export const stepSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    text: localizedTextSchema,
    /** Quick replies / reply buttons (rendered as numbered options where a channel has none). */
    buttons: z.array(button).max(10).optional(),
    links: z.array(link).max(10).optional(),
    /** Without buttons: the step that follows at once (none: the flow waits for a new intent). */
    next: slug.optional(),
  }),
  z.object({
    type: z.literal('collect'),
    /** Where the value goes in the session's collected data. */
    field: slug,
    kind: collectKindSchema,
    prompt: localizedTextSchema,
    /** Said when the answer is not a valid value of `kind` (e.g. an NSS whose check digit fails). */
    invalid: localizedTextSchema,
    maxAttempts: z.number().int().min(1).max(10).default(3),
    next: slug,
    /** After maxAttempts invalid answers; default: hand off to a person. */
    onFail: slug.optional(),
  }),
  z.object({
    type: z.literal('folio_status'),
    /** The collected field holding the folio to look up (our conversation folios). */
    field: slug,
    /** Said with `{{folio}}`, `{{status}}` (in words) and `{{updated}}` filled in. */
    found: localizedTextSchema,
    notFound: localizedTextSchema,
    next: slug.optional(),
  }),
  // Appointments (issue 11): the hub's calendar through `BotPorts.appointments`. They keep what
  // they learn in fixed fields: `appointment_service` (+ `_name`), `appointment_slot` (opaque),
  // `appointment_when` (the slot in words), `appointment_folio`, `appointment_status`.
  z.object({
    type: z.literal('appointment_service'),
    /** A fixed service of the calendar (nothing asked); without it the campaign's services are offered. */
    serviceId: z.string().trim().min(1).max(100).optional(),
    /** The question above the services offered as options. */
    text: localizedTextSchema,
    next: slug,
    /** No calendar, no service, or the calendar is down; default: hand off to a person. */
    onFail: slug.optional(),
  }),
  z.object({
    type: z.literal('appointment_slots'),
    /** Said above the nearest free slots, offered as options. */
    text: localizedTextSchema,
    /** Said when there is no free slot; then `onFail`, or the flow ends. */
    none: localizedTextSchema,
    limit: z.number().int().min(1).max(10).default(5),
    next: slug,
    onFail: slug.optional(),
  }),
  z.object({
    type: z.literal('appointment_book'),
    /** Fields holding the citizen's id (the first collected of the two) and birth date. */
    nssField: slug.default('nss'),
    curpField: slug.default('curp'),
    birthDateField: slug.default('fecha_nacimiento'),
    /** Said with `{{appointment_folio}}` and `{{appointment_when}}` filled in. */
    booked: localizedTextSchema,
    /** Said when someone else took the slot a moment earlier, above the next free slots. */
    taken: localizedTextSchema,
    /** The `appointment_slots` step that takes the citizen's new choice. */
    slotsStep: slug,
    next: slug.optional(),
    /** After a rule refusal (too soon, family limit…), said in the citizen's words; default: the flow ends. */
    onRefused: slug.optional(),
  }),
  z.object({
    type: z.literal('appointment_lookup'),
    folioField: slug.default('folio'),
    nssField: slug.default('nss'),
    curpField: slug.default('curp'),
    /** Said with `{{appointment_folio}}`, `{{appointment_when}}` and `{{appointment_status}}`. */
    found: localizedTextSchema,
    notFound: localizedTextSchema,
    next: slug.optional(),
    /** Where a folio that is not found goes; default: the flow ends. */
    onNotFound: slug.optional(),
  }),
  z.object({
    type: z.literal('appointment_cancel'),
    folioField: slug.default('folio'),
    nssField: slug.default('nss'),
    curpField: slug.default('curp'),
    /** Said with `{{appointment_folio}}` and `{{appointment_when}}` filled in. */
    cancelled: localizedTextSchema,
    /** An unknown folio, or an id that is not the one booked (a folio alone reveals nothing). */
    notFound: localizedTextSchema,
    next: slug.optional(),
  }),
  z.object({
    type: z.literal('branch'),
    field: slug,
    cases: z.array(z.object({ equals: z.string().min(1).max(200), next: slug })).min(1).max(50),
    default: slug,
  }),
  z.object({
    type: z.literal('handoff'),
    /** A queue of the campaign by id, or skills the agent must hold; neither: the channel's queue. */
    queueId: z.uuid().optional(),
    skills: z.array(z.string().min(1).max(64)).max(10).optional(),
    text: localizedTextSchema.optional(),
  }),
  z.object({
    type: z.literal('resolve'),
    text: localizedTextSchema.optional(),
    /** Run the campaign's exit survey before closing (when the campaign has one). */
    survey: z.boolean().default(true),
  }),
]);
export type StepDef = z.infer<typeof stepSchema>;

export const flowSchema = z.object({
  id: slug,
  description: z.string().max(500).optional(),
  start: slug,
  steps: z.record(slug, stepSchema),
});
export type FlowDef = z.infer<typeof flowSchema>;

export const botModelSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  name: z.string().trim().min(1).max(200),
  /** Languages the model understands; the first is the default. */
  languages: z.array(languageSchema).min(1).max(2).default(['es', 'en']),
  /** Below this NLU score (0–1) an utterance is not understood (fallback, then the KB). */
  threshold: z.number().min(0.1).max(0.99).default(0.7),
  /** Fallbacks in a row before the bot hands off to a person. */
  maxFallbacks: z.number().int().min(1).max(10).default(2),
  /** Said when nothing understood the utterance ("no entendí…", asking to rephrase). */
  fallback: localizedTextSchema.default({ es: 'Disculpe, no entendí su mensaje. ¿Podría decirlo con otras palabras?', en: "Sorry, I didn't understand. Could you say it another way?" }),
  /** Said when handing off to a person (before the queue's own messages). */
  handoffText: localizedTextSchema.default({ es: 'Le comunico con un asesor. En un momento le atienden.', en: "I'm transferring you to an agent. Someone will be with you shortly." }),
  /** Said when the bot greets a new conversation (before answering its first message). */
  greeting: localizedTextSchema.optional(),
  /** Knowledge-base answers when no intent matches (kb/). */
  kb: z.object({ enabled: z.boolean().default(true), minScore: z.number().min(0).max(100).default(1.5) }).default({ enabled: true, minScore: 1.5 }),
  /** Minutes without a citizen message after which the session is cut off (outcome cut_off). */
  idleMinutes: z.number().int().min(1).max(1440).default(30),
  intents: z.array(intentSchema).max(1000),
  entities: z.array(entitySchema).max(200).default([]),
  flows: z.array(flowSchema).max(200).default([]),
});
export type BotModel = z.infer<typeof botModelSchema>;
export type BotModelInput = z.input<typeof botModelSchema>;
