import { assertEncodable, templatesOf, type ChannelCapabilities, type MessageTemplate, type OutboundContent } from '@ventanilla/connectors/core';
import { HubError } from '../errors/error-registry.js';

/** The part of a loaded channel the reply rules read. */
export interface ReplyChannel {
  adapter: { capabilities: ChannelCapabilities; windowHours?(settings: unknown, sender: 'agent' | 'bot' | 'system'): number };
  settings: unknown;
}

export interface ServiceWindow {
  windowHours: number | null;
  windowOpen: boolean;
  windowClosesAt: Date | null;
}

/**
 * The customer-service window (WhatsApp, Messenger: 24 h after the citizen's last message):
 * free-form replies only inside it. No inbound message yet counts as closed — the provider
 * refuses free text to someone who never wrote.
 */
export function serviceWindow(channel: ReplyChannel, lastInboundAt: Date | null, now: Date): ServiceWindow {
  const hours = channel.adapter.windowHours ? channel.adapter.windowHours(channel.settings, 'agent') : channel.adapter.capabilities.customerServiceWindowHours;
  if (hours === undefined) return { windowHours: null, windowOpen: true, windowClosesAt: null };
  const closesAt = lastInboundAt ? new Date(lastInboundAt.getTime() + hours * 3_600_000) : null;
  return { windowHours: hours, windowOpen: closesAt !== null && closesAt.getTime() > now.getTime(), windowClosesAt: closesAt };
}

const FILES = { es: 'archivos', en: 'files' };
const WHAT: Record<OutboundContent['type'], { es: string; en: string }> = {
  text: { es: 'texto', en: 'text' },
  image: FILES,
  audio: FILES,
  video: FILES,
  file: FILES,
  interactive: { es: 'mensajes con botones o listas', en: 'interactive messages (buttons, lists)' },
  template: { es: 'plantillas', en: 'templates' },
};

/**
 * Checks an agent's reply against the channel before it is stored (the worker checks again
 * with assertEncodable): capabilities, the template catalogue and the window. Returns the
 * catalogue template a template reply uses.
 */
export function checkReply(channel: ReplyChannel, content: OutboundContent, lastInboundAt: Date | null, now: Date): MessageTemplate | null {
  const capabilities = channel.adapter.capabilities;
  const encodable = assertEncodable(capabilities, content);
  if (!encodable.ok) {
    const detail =
      encodable.code === 'text_too_long'
        ? `El texto excede los ${capabilities.maxTextLength} caracteres que admite el canal / the text exceeds the channel's ${capabilities.maxTextLength} characters`
        : `El canal de esta conversación no puede enviar ${WHAT[content.type].es} / this conversation's channel cannot send ${WHAT[content.type].en}`;
    throw new HubError('HUB_ERR_CHANNEL_CAPABILITY', detail, { code: encodable.code, contentType: content.type });
  }
  if (content.type === 'template') {
    const wanted = content.template;
    const template = templatesOf(channel.settings).find((t) => t.name === wanted.name && t.language === wanted.language);
    if (!template) throw new HubError('HUB_ERR_TEMPLATE_UNKNOWN', undefined, { name: wanted.name, language: wanted.language });
    if (template.variables !== wanted.variables.length) {
      throw new HubError(
        'HUB_ERR_TEMPLATE_VARIABLES',
        `La plantilla ${template.name} lleva ${template.variables} variables y se enviaron ${wanted.variables.length} / template ${template.name} takes ${template.variables} variables, got ${wanted.variables.length}`,
        { expected: template.variables, received: wanted.variables.length },
      );
    }
    return template;
  }
  const window = serviceWindow(channel, lastInboundAt, now);
  if (!window.windowOpen) {
    const hours = window.windowHours ?? 24;
    throw new HubError(
      'HUB_ERR_WINDOW_CLOSED',
      !capabilities.templates
        ? `Han pasado más de ${hours} h desde el último mensaje del ciudadano y este canal no admite plantillas: podrá responder cuando vuelva a escribir. / More than ${hours} h since the citizen's last message and this channel has no templates: you can reply once they write again.`
        : hours === 24
          ? undefined
          : `Han pasado más de ${hours} h desde el último mensaje del ciudadano: envíe una plantilla aprobada. / More than ${hours} h since the citizen's last message: send an approved template.`,
      { windowHours: hours, windowClosesAt: window.windowClosesAt?.toISOString() ?? null },
    );
  }
  return null;
}
