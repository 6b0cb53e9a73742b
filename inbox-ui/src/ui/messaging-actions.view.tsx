import { useState } from 'react';
import { ApiError } from '../api/api-error.js';
import type { ReplyOptions } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from './icons.view.js';
import { InteractiveComposerDialog } from './interactive-composer.dialog.js';
import { TemplatePickerDialog } from './template-picker.dialog.js';

export function windowClosedError(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'HUB_ERR_WINDOW_CLOSED';
}

/**
 * The composer's "Plantilla" and "Opciones" buttons and their dialogs. "Plantilla" is there on
 * every channel with a service window (the only way out once it closes, and useful inside it);
 * "Opciones" only while free-form replies are allowed and the channel can show buttons.
 */
export function MessagingActions({
  api,
  conversationId,
  options,
  freeForm,
  text,
  onSent,
  onWindowMoved,
}: {
  api: HubApi;
  conversationId: string;
  options: ReplyOptions;
  freeForm: boolean;
  /** The composer's draft: it becomes the text above the buttons, and is cleared once they are sent. */
  text: string;
  onSent(kind: 'template' | 'options'): void;
  /** The hub said the window is closed (409): the reply options must be asked again. */
  onWindowMoved(): void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState<'template' | 'options' | null>(null);

  // Errors stay in the dialog, next to its send button; the dialog closes only on success.
  async function send(kind: 'template' | 'options', request: () => Promise<unknown>) {
    try {
      await request();
    } catch (e) {
      if (windowClosedError(e)) onWindowMoved();
      throw e;
    }
    setOpen(null);
    onSent(kind);
  }

  return (
    <>
      {options.windowHours !== null && (
        <button type="button" className={`btn ${freeForm ? 'btn-ghost' : 'btn-primary'}`} aria-haspopup="dialog" onClick={() => setOpen('template')}>
          <Icon name="file" /> <span>{t('reply.template')}</span>
        </button>
      )}
      {options.canSendInteractive && freeForm && (
        <button type="button" className="btn btn-ghost" aria-haspopup="dialog" onClick={() => setOpen('options')}>
          <Icon name="check" /> <span>{t('reply.options')}</span>
        </button>
      )}
      {open === 'template' && (
        <TemplatePickerDialog templates={options.templates} onClose={() => setOpen(null)} onSend={(template) => send('template', () => api.sendTemplate(conversationId, template))} />
      )}
      {open === 'options' && (
        <InteractiveComposerDialog initialText={text} onClose={() => setOpen(null)} onSend={(interactive) => send('options', () => api.sendInteractive(conversationId, interactive))} />
      )}
    </>
  );
}
