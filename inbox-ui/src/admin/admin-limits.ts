/**
 * The hub's validation limits, mirrored for the browser so forms can flag the obvious before a
 * round trip (the hub's schemas pull zod, which the inbox bundle does without).
 * admin-limits.test.ts compares every value with the hub's own constants.
 */

export const CHANNEL_CLASSES = ['text', 'voice', 'email'] as const;
export type ChannelClass = (typeof CHANNEL_CLASSES)[number];

export const CAPACITY_LIMITS = {
  text: { min: 1, max: 10, default: 4 },
  voice: { min: 0, max: 1, default: 1 },
  email: { min: 0, max: 50, default: 10 },
} as const satisfies Record<ChannelClass, { min: number; max: number; default: number }>;

export const AGENT_STATES = ['available', 'after_contact_work', 'lunch', 'training', 'coaching', 'personal', 'not_ready', 'offline'] as const;
export type AgentStateName = (typeof AGENT_STATES)[number];

export const STRATEGIES = ['longest_idle', 'least_busy', 'round_robin'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const AFTER_HOURS_MODES = ['keep_queued', 'offer_voicemail_or_callback', 'close'] as const;
export type AfterHoursMode = (typeof AFTER_HOURS_MODES)[number];

export const ROLES = ['admin', 'supervisor', 'agent', 'trainer', 'auditor', 'quality_analyst'] as const;

/** Channel kinds the hub's connector registry knows. */
export const CHANNEL_KINDS = ['api', 'email', 'webchat', 'whatsapp', 'whatsapp_web', 'sms', 'meta', 'x', 'voice'] as const;
export type ChannelKindName = (typeof CHANNEL_KINDS)[number];

/** Campaign routing ranges (campaign-routing.schema.ts). */
export const ROUTING_RANGES = {
  afterContactWorkMaxSeconds: { min: 0, max: 3600 },
  offerTimeoutSeconds: { min: 5, max: 120 },
  autoLogoutMinutes: { min: 1, max: 240 },
  stickyHours: { min: 0, max: 168 },
} as const;

/** Queue configuration (queue-config.schema.ts). */
export const MAX_SECONDS = 86_400;
export const MIN_SKILL_LEVEL = 1;
export const MAX_SKILL_LEVEL = 5;
export const MAX_RELAX_LEVELS = MAX_SKILL_LEVEL - MIN_SKILL_LEVEL;
export const PRIORITY_RANGE = { min: 1, max: 99 } as const;
export const MAX_REQUIRED_SKILLS = 20;
export const MAX_OVERFLOW_STEPS = 20;
export const QUEUE_NAME_MAX = 120;
export const CITIZEN_MESSAGE_MAX = 1000;

/** Disposition codes (inbox/disposition-tree.ts, disposition-codes.routes.ts). */
export const MAX_DISPOSITION_DEPTH = 3;
export const DISPOSITION_CODE_PATTERN = /^[A-Z0-9._-]{1,20}$/;
export const POSITION_MAX = 9999;

export const SKILL_NAME_PATTERN = /^[a-z0-9_]{2,60}$/;
export const CANNED_SHORTCUT_PATTERN = /^[a-z0-9_-]{2,40}$/;
export const CAMPAIGN_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const FOLIO_PREFIX_PATTERN = /^[A-Z]{2,5}$/;
export const PASSWORD_MIN = 12;
export const LABEL_MAX = 120;

export const KB_LIMITS = { title: 200, body: 20_000, topic: 80, tag: 40, tags: 20 } as const;
export const CANNED_LIMITS = { title: 120, body: 4000 } as const;

/** `HH:MM` from 00:00 to 23:59, plus 24:00 so a day can close at midnight. */
export const HH_MM = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
