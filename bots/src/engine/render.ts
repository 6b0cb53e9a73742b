import type { OutboundContent } from '@ventanilla/connectors/core';
import type { RenderCapabilities } from '../engine.contract.js';
import type { Language } from '../model.schema.js';
import type { BotMessage } from './bot-message.js';
import { ENGINE_TEXTS, localize } from './engine-texts.js';
import { splitText } from './split-text.js';

/**
 * Fits the bot's replies to the channel: reply buttons where the channel has them (a list
 * beyond `maxButtons`), numbered options in plain text where it does not, links as
 * "Título: url" lines, and long texts split into several messages.
 */
export function renderMessages(messages: BotMessage[], capabilities: RenderCapabilities, language: Language): OutboundContent[] {
  return messages.flatMap((m) => renderOne(m, capabilities, language));
}

function renderOne(message: BotMessage, capabilities: RenderCapabilities, language: Language): OutboundContent[] {
  const buttons = message.buttons ?? [];
  const linkLines = (message.links ?? []).map((l) => `${l.title}: ${l.url}`);
  const withLinks = [message.text, linkLines.join('\n')].filter((t) => t.trim() !== '').join('\n\n');
  const max = capabilities.maxTextLength;

  if (buttons.length === 0) return splitText(withLinks, max).map((text) => ({ type: 'text', text }));

  if (!capabilities.interactive) {
    const options = buttons.map((b, i) => `${i + 1}. ${b.title}`).join('\n');
    return splitText(`${withLinks}\n\n${options}`, max).map((text) => ({ type: 'text', text }));
  }

  const pieces = splitText(withLinks, max);
  const last = pieces.pop() ?? localize(ENGINE_TEXTS.chooseOption, language);
  const before: OutboundContent[] = pieces.map((text) => ({ type: 'text', text }));
  if (buttons.length <= capabilities.maxButtons) {
    return [...before, { type: 'interactive', text: last, buttons: buttons.map((b) => ({ id: b.id, title: b.title })) }];
  }
  return [
    ...before,
    {
      type: 'interactive',
      text: last,
      list: {
        button: localize(ENGINE_TEXTS.listButton, language),
        sections: [{ title: localize(ENGINE_TEXTS.listSection, language), rows: buttons.map((b) => ({ id: b.id, title: b.title })) }],
      },
    },
  ];
}
