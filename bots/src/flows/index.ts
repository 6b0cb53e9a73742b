// Flows as data (issue 7 item 2): the model gate (schema + cross-references) and file parsing.
export { validateBotModel } from './validate-bot-model.js';
export { parseBotModelText } from './parse-model-text.js';
export type { BotModelProblem, BotModelValidation } from './model-problem.js';
