/** One thing wrong with a bot model, said so a trainer can fix it: where (dotted path) and what (Spanish). */
export interface BotModelProblem {
  path: string;
  message: string;
}

export type BotModelValidation<M> = { ok: true; model: M } | { ok: false; problems: BotModelProblem[] };
