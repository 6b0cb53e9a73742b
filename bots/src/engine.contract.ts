import type { OutboundContent } from '@ventanilla/connectors/core';
import type { BotModel, Language } from './model.schema.js';

/**
 * The contract between the bots package and the hub. The bots package knows NLU, flows and the
 * knowledge base; the hub knows conversations, queues and channels, and gives the engine what
 * it needs through `BotPorts`. Nothing here touches a database.
 */

// ---------------------------------------------------------------- NLU (nlu/)

export interface NluEntity {
  /** A built-in entity (`folio`, `nss`, `curp`, `rfc`, `date`, `phone`, `email`, `number`) or a custom entity's name. */
  type: string;
  /** The text as the citizen wrote it. */
  text: string;
  /** Normalised: uppercase CURP/RFC, 11-digit NSS, ISO date (YYYY-MM-DD), E.164 phone, lowercase e-mail, a custom entity's value. */
  value: string;
  /** Official ids: whether the check digit holds (an invalid NSS is still recognised, and said to be invalid). */
  valid: boolean;
}

/** Why an utterance was not classified at all. */
export type UtteranceIssue = 'empty' | 'too_long' | 'no_words';

export interface NluResult {
  /** The best intent at or above the model's threshold; null when none (or an utterance issue). */
  intent: string | null;
  /** The best intent's score (0–1) even when below the threshold; 0 for an utterance issue. */
  score: number;
  /** The best intent whatever its score (the trainers' inbox shows it as the guess). */
  guess: string | null;
  /** Up to 3 candidates, best first. */
  candidates: { intent: string; score: number }[];
  language: Language;
  entities: NluEntity[];
  issue?: UtteranceIssue;
}

/** Official id checks the hub owns (hub/src/contacts/official-ids.ts), given to the NLU. */
export interface OfficialIdChecks {
  curp(raw: string): { valid: boolean; normalized: string };
  rfc(raw: string): { valid: boolean; normalized: string };
  nss(raw: string): { valid: boolean; normalized: string };
}

/** A trained model, ready to classify. */
export interface TrainedNlu {
  classify(utterance: string): Promise<NluResult>;
  /** NLP.js's own export, stored in `bot_models.trained`; `loadNlu` brings it back. */
  exportTrained(): string;
}

export interface TrainingReport {
  durationMs: number;
  /** Cross-validated accuracy (0–1): k folds, each phrase classified by a model trained without it. */
  accuracy: number;
  folds: number;
  perIntent: Record<string, { correct: number; total: number }>;
  trainedAt: string;
}

// ---------------------------------------------------------------- knowledge base (kb/)

export interface KbArticle {
  id: string;
  title: string;
  body: string;
  topic: string;
  tags: string[];
}

export interface KbAnswer {
  articleId: string;
  title: string;
  /** The answer text (the article's most relevant passage, or the LLM's grounded answer). */
  text: string;
  score: number;
  /** 'retriever': the passage itself; 'llm': written by the configured LLM from the retrieved articles. */
  source: 'retriever' | 'llm';
}

export interface KbAnswerer {
  answer(question: string, language: Language): Promise<KbAnswer | null>;
}

// ---------------------------------------------------------------- engine (engine/)

/** What the engine keeps between turns (bot_sessions.state), plain JSON. */
export interface BotSessionState {
  language: Language;
  /** The flow and step waiting for the citizen, if any. */
  flow?: { id: string; step: string; attempts: number };
  /** Fallbacks in a row. */
  fallbacks: number;
  /** Data collected by flows and entities recognised along the way (field → value). */
  collected: Record<string, string>;
  /** Intents matched, in order (the last one is the interaction's intent). */
  intents: string[];
  /** The last utterances (up to 5) for the agent's summary. */
  recent: { at: string; text: string }[];
  turns: number;
  greeted: boolean;
  /**
   * Options the hub computed for a waiting step (services, free slots): a later turn takes the
   * citizen's choice among these, not among a fresh search that may have moved on.
   */
  offer?: { flowId: string; step: string; options: { id: string; title: string }[] };
}

/** The channel's abilities the engine renders for (from the adapter's capabilities). */
export interface RenderCapabilities {
  interactive: boolean;
  /** Most reply buttons one message may carry (WhatsApp 3); beyond it a list or numbered text. */
  maxButtons: number;
  maxTextLength: number;
}

export interface TurnInput {
  /** The citizen's text (may be empty, huge, emoji-only: the engine copes). */
  text: string;
  /** The id of a button/list row the citizen chose (inbound `interactive` content). */
  replyId?: string;
  at: Date;
}

export interface FolioStatus {
  folio: string;
  /** The status in the citizen's words ("en atención", "resuelto"…), in the asked language. */
  statusText: string;
  updatedAt: string;
}

export interface AppointmentOfficialId {
  kind: 'nss' | 'curp';
  value: string;
}

/** A free slot as the citizen reads it; `id` is opaque to the engine (the hub's room and start). */
export interface AppointmentSlotOption {
  id: string;
  /** «lunes 30 de noviembre, 08:20 — Consultorio 1, UMF 20», in the asked language. */
  label: string;
}

export type AppointmentBookResult =
  | { ok: true; folio: string; label: string }
  | {
      ok: false;
      /** `slot_taken`: someone took it (or its shift filled) a moment earlier; `rules`: the booking rules refused. */
      reason: 'slot_taken' | 'rules';
      /** For the citizen, in the asked language. */
      message: string;
      /** The next free slots, when the slot was taken. */
      slots?: AppointmentSlotOption[];
    };

export type AppointmentCancelResult = { ok: true; folio: string; label: string } | { ok: false; reason: 'not_found' | 'refused'; message: string };

/** The campaign's appointment calendar (issue 11); every booking goes through the hub's rules. */
export interface AppointmentPort {
  services(language: Language): Promise<{ id: string; name: string }[]>;
  nearestSlots(query: { serviceId: string; from?: string; limit: number; language: Language }): Promise<AppointmentSlotOption[]>;
  book(request: { serviceId: string; slotId: string; officialId: AppointmentOfficialId; birthDate?: string; language: Language }): Promise<AppointmentBookResult>;
  /** Null for an unknown folio or an id that is not the one booked. */
  lookUp(query: { folio: string; officialId: AppointmentOfficialId; language: Language }): Promise<{ folio: string; label: string; status: string } | null>;
  cancel(request: { folio: string; officialId: AppointmentOfficialId; language: Language }): Promise<AppointmentCancelResult>;
}

export interface BotPorts {
  /** Our conversation/appointment folio, only within the bot's campaign; null when unknown. */
  folioStatus(folio: string, language: Language): Promise<FolioStatus | null>;
  /** Absent or null: no knowledge base answers. */
  kb?: KbAnswerer | null;
  /** Absent or null: the campaign has no appointment calendar; appointment steps hand off to a person. */
  appointments?: AppointmentPort | null;
}

export interface HandoffSummary {
  reason: 'requested' | 'fallbacks' | 'flow' | 'collect_failed';
  intent: string | null;
  language: Language;
  collected: Record<string, string>;
  recent: { at: string; text: string }[];
  /** Plain text for the agent (Spanish), e.g. the note on the conversation. */
  text: string;
}

export type TurnAction =
  | { type: 'continue' }
  | { type: 'handoff'; queueId?: string; skills?: string[]; summary: HandoffSummary }
  | { type: 'resolved'; survey: boolean };

export interface TurnResult {
  state: BotSessionState;
  /** What to send, in order, already fitted to the channel's capabilities. */
  replies: OutboundContent[];
  action: TurnAction;
  /** For bot_turns: what answered this utterance. */
  answeredBy: 'intent' | 'flow' | 'kb' | 'fallback' | 'handoff';
  nlu: NluResult | null;
  kbArticleId?: string;
}

export interface BotEngine {
  readonly model: BotModel;
  /** A fresh session for a conversation (language: the model's first). */
  newSession(): BotSessionState;
  turn(state: BotSessionState, input: TurnInput, render: RenderCapabilities, ports: BotPorts): Promise<TurnResult>;
}
