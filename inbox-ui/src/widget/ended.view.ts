import { h } from './dom.js';
import { saveBlob } from './downloads.js';
import { errorText } from './error-text.js';
import { isEmail } from './field-rules.js';
import { inputField } from './form-fields.js';
import type { View, ViewEnv } from './view.js';

export interface EndedOptions {
  folio: string | null;
  /** Shown first: "thank you for the survey". */
  notice: string | null;
  email: string;
  onNewConversation(): void;
}

/**
 * After the conversation: the folio, the transcript as a file (fetched with the token, so a
 * Blob) and, where the campaign has e-mail, by e-mail; then a way to start again.
 */
export function endedView(env: ViewEnv, options: EndedOptions): View {
  const { t } = env.i18n;
  const heading = h('h3', { tabindex: -1 }, t('ended.title'));
  // What the visitor just did (downloaded, e-mail queued) is announced; the notice is not repeated.
  const note = h('p', { class: 'vw-note', role: 'status' });
  const alert = h('p', { class: 'vw-alert', role: 'alert' });
  const download = h('button', { type: 'button', class: 'vw-btn' }, t('ended.download'));
  const again = h('button', { type: 'button', class: 'vw-btn vw-btn-secondary' }, t('ended.new'));
  const element = h('div', { class: 'vw-pad' }, heading, options.notice ? h('p', { class: 'vw-note' }, options.notice) : null, note, options.folio ? h('p', {}, t('ended.folio', { folio: options.folio })) : null, h('div', { class: 'vw-actions' }, download));

  download.addEventListener('click', () => {
    void (async () => {
      download.disabled = true;
      try {
        const { blob, filename } = await env.api.download('/widget/v1/transcript?format=txt');
        saveBlob(element, blob, filename ?? `conversacion-${options.folio ?? 'chat'}.txt`);
        note.textContent = t('ended.downloaded');
        alert.textContent = '';
      } catch (error) {
        alert.textContent = errorText(error, env.i18n);
      } finally {
        download.disabled = false;
      }
    })();
  });

  if (env.config.transcriptByEmail) {
    const email = inputField({ label: t('ended.emailLabel'), type: 'email', autocomplete: 'email', maxLength: 254 });
    email.control.value = options.email;
    const send = h('button', { type: 'submit', class: 'vw-btn vw-btn-secondary' }, t('ended.emailSend'));
    const form = h('form', { class: 'vw-stack', novalidate: true }, email.element, h('div', { class: 'vw-actions' }, send));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = email.value();
      if (value && !isEmail(value)) {
        email.setError(t('error.email'));
        email.control.focus();
        return;
      }
      email.setError(null);
      send.disabled = true;
      env.api.emailTranscript(value || undefined).then(
        () => {
          note.textContent = t('ended.emailSent');
          alert.textContent = '';
        },
        (error: unknown) => {
          alert.textContent = errorText(error, env.i18n);
          send.disabled = false;
        },
      );
    });
    element.append(form);
  }
  element.append(alert, h('div', { class: 'vw-actions' }, again));
  again.addEventListener('click', () => options.onNewConversation());
  return { element, focus: heading };
}
