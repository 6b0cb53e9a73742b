import type { MessageView } from '../api/api-types.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from './icons.view.js';
import { outboundDetails, parseSharedContacts, telHref, type RichKind } from './rich-content.js';
import './messaging.css';

/**
 * The messaging channels' content inside a bubble: a shared contact card, the citizen's choice
 * or reaction, and what we sent as buttons, a list or a template. Sent options are shown as a
 * plain list: the agent cannot tap them for the citizen.
 */
export function RichContent({ message, kind }: { message: MessageView; kind: RichKind }) {
  const { t } = useI18n();
  switch (kind) {
    case 'contacts':
      return (
        <>
          {parseSharedContacts(message.text).map((card, i) => (
            <section key={i} className="rich-card" aria-label={t('rich.contacts')}>
              <p className="small muted">
                <Icon name="user" size={14} /> {t('rich.contacts')}
              </p>
              {card.name && <strong>{card.name}</strong>}
              <ul>
                {card.phones.map((phone) => (
                  <li key={phone}>
                    <a href={telHref(phone)} aria-label={t('rich.call', { phone })}>
                      <Icon name="phone" size={14} /> {phone}
                    </a>
                  </li>
                ))}
                {card.emails.map((email) => (
                  <li key={email}>
                    <a href={`mailto:${email}`}>
                      <Icon name="mail" size={14} /> {email}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      );
    case 'choice':
      return <p className="msg-text">{t('rich.chose', { text: message.text ?? '' })}</p>;
    case 'reaction':
      return <p className="msg-text">{message.text ? t('rich.reacted', { emoji: message.text }) : t('rich.reactionRemoved')}</p>;
    case 'template': {
      const template = outboundDetails(message).template;
      return (
        <>
          <span className="rich-badge">{template ? t('rich.template', { name: template.name }) : t('rich.templateUnnamed')}</span>
          {message.text && <p className="msg-text">{message.text}</p>}
        </>
      );
    }
    case 'interactive': {
      const interactive = outboundDetails(message).interactive;
      const buttons = interactive?.buttons ?? [];
      const list = interactive?.list;
      return (
        <>
          {message.text && <p className="msg-text">{message.text}</p>}
          {buttons.length > 0 && (
            <ul className="rich-choices" aria-label={t('rich.buttons')}>
              {buttons.map((b) => (
                <li key={b.id}>{b.title}</li>
              ))}
            </ul>
          )}
          {list && (
            <ul className="rich-choices rich-choices-list" aria-label={t('rich.list', { button: list.button })}>
              {list.sections.flatMap((s) => s.rows).map((row) => (
                <li key={row.id}>
                  {row.title}
                  {row.description && <span className="small muted"> — {row.description}</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      );
    }
  }
}
