import type { OutboundContent, OutboundMessage } from '../core/outbound-message.js';

/** One `POST /{version}/{phone-number-id}/messages` body (Cloud API messages reference). */
export type WhatsAppMessagePayload = { messaging_product: 'whatsapp'; recipient_type: 'individual'; to: string } & Record<string, unknown>;

const MEDIA_TYPE = { image: 'image', audio: 'audio', video: 'video', file: 'document' } as const;

/**
 * Our message → the Graph request bodies, one per WhatsApp message: the Cloud API carries one
 * file per message, so a reply with several attachments becomes several requests. Pure.
 */
export function encodeWhatsAppMessage(message: OutboundMessage): WhatsAppMessagePayload[] {
  // wa_id form: the E.164 digits without '+'. Meta accepts a Mexican mobile as 52XXXXXXXXXX.
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: (message.to.phone ?? '').replace(/\D/g, '') } as const;
  return encodeContent(message.content).map((part) => ({ ...base, ...part }));
}

function encodeContent(content: OutboundContent): Record<string, unknown>[] {
  switch (content.type) {
    case 'text':
      // No link previews: a citizen must not see a preview a third-party site chose.
      return [{ type: 'text', text: { preview_url: false, body: content.text } }];
    case 'image':
    case 'audio':
    case 'video':
    case 'file': {
      const type = MEDIA_TYPE[content.type];
      return content.attachments.map((attachment, i) => {
        // Audio takes no caption; the message text rides on the first file that can carry it.
        const caption = type === 'audio' ? undefined : (attachment.caption ?? (i === 0 ? content.text : undefined));
        const filename = type === 'document' ? attachment.filename : undefined;
        return { type, [type]: { link: attachment.url ?? '', ...(caption ? { caption } : {}), ...(filename ? { filename } : {}) } };
      });
    }
    case 'interactive': {
      const body = { text: content.text };
      if (content.list) {
        return [
          {
            type: 'interactive',
            interactive: {
              type: 'list',
              body,
              action: {
                button: content.list.button,
                sections: content.list.sections.map((section) => ({
                  title: section.title,
                  rows: section.rows.map((row) => ({ id: row.id, title: row.title, ...(row.description ? { description: row.description } : {}) })),
                })),
              },
            },
          },
        ];
      }
      return [
        {
          type: 'interactive',
          interactive: {
            type: 'button',
            body,
            action: { buttons: (content.buttons ?? []).map((button) => ({ type: 'reply', reply: { id: button.id, title: button.title } })) },
          },
        },
      ];
    }
    case 'template': {
      const { name, language, variables } = content.template;
      const components = variables.length > 0 ? [{ type: 'body', parameters: variables.map((text) => ({ type: 'text', text })) }] : [];
      return [{ type: 'template', template: { name, language: { code: language }, ...(components.length > 0 ? { components } : {}) } }];
    }
    default: {
      const exhaustive: never = content;
      throw new Error(`unhandled outbound content ${JSON.stringify(exhaustive)}`);
    }
  }
}
