/**
 * The intent console's contract with the hub (issue 7 item 5), shared by the hub routes
 * (hub/src/bots/console) and the console UI (inbox-ui/src/admin/intent-console): types only.
 *
 * REST under /api/v1/campaigns/:campaignId/bot (JSON, staff bearer token). Roles: `trainer` and
 * `admin` of the campaign may do everything; `supervisor` of the campaign may read (GET) only;
 * anyone else, or a foreign campaign: 403 HUB_ERR_FORBIDDEN. Errors are the hub's
 * `{ code, message, details? }`.
 *
 *   GET    /models                          → { items: BotModelSummary[] }   newest version first
 *   POST   /models                          CreateDraftRequest → BotModelDetail (201)
 *   GET    /models/:modelId                 → BotModelDetail
 *   PUT    /models/:modelId                 UpdateDraftRequest → BotModelDetail   (drafts only: 409 HUB_ERR_BOT_MODEL_NOT_DRAFT;
 *                                           invalid: 400 HUB_ERR_BOT_MODEL_INVALID with details.problems: ModelProblem[];
 *                                           clears the training: the draft must be trained again)
 *   POST   /models/:modelId/train           → BotModelDetail (with training)  drafts only; takes seconds on big models
 *   POST   /models/:modelId/test            TestUtteranceRequest → TestUtteranceResponse  (untrained: 409 HUB_ERR_BOT_NOT_TRAINED)
 *   POST   /models/:modelId/promote         → BotModelDetail   a trained draft, or an archived version (rollback to it);
 *                                           the production version before becomes archived
 *   POST   /rollback                        → BotModelDetail   promotes the version that was in production before the current one
 *                                           (409 HUB_ERR_BOT_NO_PREVIOUS when there is none)
 *   GET    /models/:modelId/export          → the model JSON as a download (content-disposition attachment)
 *   POST   /import                          ImportModelRequest → BotModelDetail (201, a new draft)
 *   GET    /unmatched?limit=50&before=ISO   → { items: UnmatchedUtterance[] }  pending review, newest first
 *   POST   /unmatched/:turnId/add           AddToIntentRequest → { modelId: string }  the phrase goes into the campaign's
 *                                           newest draft (created from production when there is none)
 *   POST   /unmatched/:turnId/dismiss       → { dismissed: true }
 *   GET    /metrics?from=ISO&to=ISO         → BotMetrics  (default: the last 30 days)
 *   POST   /turns/:turnId/flag-wrong        FlagWrongRequest → { outcome: 'wrong'; repeated: boolean }
 */
import type { BotModel, BotModelInput, Language } from '@ventanilla/bots';

export type BotModelStatusView = 'draft' | 'production' | 'archived';

export interface TrainingReportView {
  durationMs: number;
  /** Cross-validated accuracy 0–1. */
  accuracy: number;
  folds: number;
  perIntent: Record<string, { correct: number; total: number }>;
  trainedAt: string;
}

export interface BotModelSummary {
  id: string;
  campaignId: string;
  version: number;
  status: BotModelStatusView;
  name: string;
  intents: number;
  phrases: number;
  note: string | null;
  training: TrainingReportView | null;
  createdAt: string;
  createdBy: string | null;
  promotedAt: string | null;
}

export interface BotModelDetail extends BotModelSummary {
  model: BotModel;
}

export interface ModelProblem {
  /** Where, e.g. `flows.citas.steps.pedir-nss.next` or `intents[3].phrases.es`. */
  path: string;
  message: string;
}

/** A new draft: a copy of `fromModelId` (default: the production version, else an empty model). */
export interface CreateDraftRequest {
  fromModelId?: string;
  note?: string;
}

export interface UpdateDraftRequest {
  model: BotModelInput;
  note?: string;
}

export interface TestUtteranceRequest {
  utterance: string;
}

export interface TestUtteranceResponse {
  intent: string | null;
  score: number;
  guess: string | null;
  candidates: { intent: string; score: number }[];
  language: Language;
  entities: { type: string; text: string; value: string; valid: boolean }[];
  issue?: 'empty' | 'too_long' | 'no_words';
  /** What the bot would answer a new conversation with this utterance (text of the replies). */
  reply: { answeredBy: 'intent' | 'flow' | 'kb' | 'fallback' | 'handoff'; texts: string[]; kbArticle?: { id: string; title: string } };
}

export interface ImportModelRequest {
  model: unknown;
  note?: string;
}

export interface UnmatchedUtterance {
  turnId: string;
  utterance: string;
  language: Language;
  /** NLU's best guess below the threshold, if any. */
  guess: string | null;
  score: number;
  answeredBy: 'kb' | 'fallback';
  conversationId: string;
  folio: string;
  createdAt: string;
}

export interface AddToIntentRequest {
  intent: string;
  /** Default: the language NLU detected. */
  language?: Language;
}

export interface FlagWrongRequest {
  reason: string;
}

export interface IntentMetrics {
  intent: string;
  /** Bot interactions whose intent this was. */
  volume: number;
  resolved: number;
  handedOff: number;
  wrong: number;
  cutOff: number;
  /** resolved ÷ volume. */
  containment: number;
  /** handedOff ÷ volume. */
  handoffRate: number;
  /** (volume − wrong) ÷ volume. */
  accuracy: number;
  /** Two or more wrong answers on this intent in the period (seed L2059: a deduction of 5 interactions each). */
  repeatedWrong: boolean;
}

export interface BotMetrics {
  from: string;
  to: string;
  totals: { interactions: number; resolved: number; handedOff: number; wrong: number; cutOff: number; containment: number; billableWeightedInteractions: number };
  intents: IntentMetrics[];
}
