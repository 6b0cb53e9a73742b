import { CaptchaRunner, captchaStatusText } from './captcha-runner.js';
import { h } from './dom.js';
import { errorText } from './error-text.js';
import { isEmail, isPhone } from './field-rules.js';
import { focusFirstError, inputField, textareaField } from './form-fields.js';
import type { View, ViewEnv } from './view.js';

/**
 * Outside the service window: the campaign's message instead of the pre-chat form and, when the
 * campaign takes them, a message form whose text becomes an e-mail conversation.
 */
export function closedView(env: ViewEnv): View {
  const { t } = env.i18n;
  const message = h('p', {}, env.config.closedMessage);
  if (!env.config.leaveMessage) return { element: h('div', { class: 'vw-pad' }, message), focus: null };

  const captchaLine = h('p', { class: 'vw-captcha', role: 'status' });
  const runner = new CaptchaRunner(env.config.captcha, () => env.api.captcha(), (status) => (captchaLine.textContent = captchaStatusText(status, t)));
  const name = inputField({ label: t('field.name'), required: true, autocomplete: 'name', maxLength: 200 });
  const email = inputField({ label: t('field.email'), required: true, type: 'email', autocomplete: 'email', maxLength: 254 });
  const phone = inputField({ label: t('field.phone'), type: 'tel', autocomplete: 'tel', maxLength: 32, inputMode: 'tel' });
  const text = textareaField({ label: t('field.message'), required: true, rows: 5, maxLength: 4000 });
  const alert = h('p', { class: 'vw-alert', role: 'alert' });
  const done = h('p', { class: 'vw-note', role: 'status', tabindex: -1 });
  const submit = h('button', { type: 'submit', class: 'vw-btn' }, t('closed.submit'));
  const form = h(
    'form',
    { class: 'vw-pad', novalidate: true },
    h('p', {}, t('closed.leaveIntro')),
    h('p', { class: 'vw-muted' }, t('field.requiredNote')),
    name.element,
    email.element,
    phone.element,
    text.element,
    alert,
    captchaLine,
    submit,
  );
  const element = h('div', {}, h('div', { class: 'vw-pad' }, message, done), form);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });

  async function send(): Promise<void> {
    if (submit.disabled) return;
    name.setError(name.value() ? null : t('error.required'));
    email.setError(!email.value() ? t('error.required') : isEmail(email.value()) ? null : t('error.email'));
    phone.setError(phone.value() && !isPhone(phone.value()) ? t('error.phone') : null);
    text.setError(text.value() ? null : t('error.required'));
    const fields = [name, email, phone, text];
    if (fields.some((f) => f.control.getAttribute('aria-invalid') === 'true')) {
      alert.textContent = t('error.summary');
      focusFirstError(fields);
      return;
    }
    alert.textContent = '';
    submit.disabled = true;
    try {
      const captcha = await runner.take();
      await env.api.leaveMessage({ name: name.value(), email: email.value(), text: text.value(), ...(phone.value() ? { phone: phone.value() } : {}), ...(captcha ? { captcha } : {}) });
      runner.stop();
      form.remove();
      done.textContent = t('closed.sent');
      done.focus();
    } catch (error) {
      alert.textContent = errorText(error, env.i18n);
      submit.disabled = false;
      runner.start();
    }
  }

  runner.start();
  return { element, focus: name.control, dispose: () => runner.stop() };
}
