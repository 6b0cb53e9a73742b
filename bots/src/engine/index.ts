// The bot engine (issue 7): one citizen utterance in, replies fitted to the channel and a decision out.
export { createBotEngine } from './bot-engine.js';
export { renderMessages } from './render.js';
export { splitText } from './split-text.js';
export type { BotMessage } from './bot-message.js';
