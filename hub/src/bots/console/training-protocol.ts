import type { BotModel, TrainingReport } from '@ventanilla/bots';

/** Messages between the console and its training thread (training.thread.ts). */
export interface TrainingJob {
  model: BotModel;
}

export type TrainingOutcome = { ok: true; trained: string; report: TrainingReport } | { ok: false; message: string };

export function isTrainingOutcome(message: unknown): message is TrainingOutcome {
  if (typeof message !== 'object' || message === null || !('ok' in message)) return false;
  return message.ok === true ? 'trained' in message && 'report' in message : 'message' in message;
}
