import { z } from 'zod';

/**
 * Settings of a web chat widget channel (issue 5 items 1–6). No secrets: the hub signs visitor
 * tokens with a key derived from its own JWT_SECRET and the channel id.
 */

/** `https://www.gob.mx` or `http://localhost:8080`: scheme, host and port only, as browsers send Origin. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

const originSchema = z
  .string()
  .max(200)
  .refine(isOrigin, {
    message: 'Use un origen como https://www.gob.mx (sin ruta ni comodín "*") / use an origin such as https://www.gob.mx (no path, no "*" wildcard)',
  });

export const PRECHAT_FIELD_NAMES = ['name', 'email', 'phone', 'topic'] as const;

const prechatFieldSchema = z.object({ name: z.enum(PRECHAT_FIELD_NAMES), required: z.boolean() });

const DEFAULT_PRECHAT_FIELDS: z.infer<typeof prechatFieldSchema>[] = [
  { name: 'name', required: true },
  { name: 'email', required: false },
  { name: 'phone', required: false },
  { name: 'topic', required: false },
];

/** The types the hub can check by content (hub/src/files/file-types.ts); a channel may narrow them. */
export const DEFAULT_WIDGET_ACCEPT = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/plain',
];

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export const webchatChannelSettingsSchema = z.object({
  title: z.string().trim().min(1).max(80).default('Atención ciudadana'),
  locale: z.enum(['es-MX', 'en']).default('es-MX'),
  /** #0b5c4c on white text is 7.9:1 (WCAG AA asks 4.5:1 for normal text). */
  colors: z
    .object({
      primary: z.string().regex(HEX_COLOR, 'Color #RRGGBB').default('#0b5c4c'),
      onPrimary: z.string().regex(HEX_COLOR, 'Color #RRGGBB').default('#ffffff'),
    })
    .prefault({}),
  position: z.enum(['bottom-right', 'bottom-left']).default('bottom-right'),
  /** Pages allowed to embed the widget; the hub refuses any other Origin (CORS and tokens). */
  allowedOrigins: z.array(originSchema).min(1, 'Indique al menos un origen permitido / at least one allowed origin').max(50),
  prechat: z
    .object({
      fields: z
        .array(prechatFieldSchema)
        .max(PRECHAT_FIELD_NAMES.length)
        .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, 'Campo repetido / duplicate field')
        .default(DEFAULT_PRECHAT_FIELDS),
      topics: z
        .array(z.object({ id: z.string().trim().min(1).max(60), label: z.string().trim().min(1).max(120) }))
        .max(50)
        .refine((topics) => new Set(topics.map((t) => t.id)).size === topics.length, 'Tema repetido / duplicate topic id')
        .default([]),
    })
    .prefault({}),
  closedMessage: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .default(
      'En este momento estamos fuera del horario de atención (lunes a viernes de 8:00 a 20:00 h, hora del centro de México, excepto días festivos). Puede dejarnos un mensaje y le responderemos por correo electrónico.',
    ),
  leaveMessage: z.boolean().default(true),
  captcha: z
    .object({
      kind: z.enum(['pow', 'none']).default('pow'),
      /** Leading zero bits of the proof of work: 16 ≈ 65 000 hashes, well under a second in a browser. */
      difficulty: z.number().int().min(8).max(24).default(16),
    })
    .prefault({}),
  attachments: z
    .object({
      enabled: z.boolean().default(true),
      maxBytes: z
        .number()
        .int()
        .min(1024)
        .max(50 * 1024 * 1024)
        .default(5 * 1024 * 1024),
      accept: z.array(z.string().min(3).max(127)).min(1).max(30).default(DEFAULT_WIDGET_ACCEPT),
    })
    .prefault({}),
  /** Agents see the visitor's IP masked (supervisors, admins and auditors see it whole). */
  maskIp: z.boolean().default(true),
});

export type WebchatChannelSettings = z.infer<typeof webchatChannelSettingsSchema>;
export type WebchatChannelSettingsInput = z.input<typeof webchatChannelSettingsSchema>;
