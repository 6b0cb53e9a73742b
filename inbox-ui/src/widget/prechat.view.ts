import type { PrechatFieldName, PrechatRequest, WidgetSessionCreated } from '@ventanilla/hub/widget-contract';
import { CaptchaRunner, captchaStatusText } from './captcha-runner.js';
import { h } from './dom.js';
import { errorText } from './error-text.js';
import { PRECHAT_MAX, prechatProblem } from './field-rules.js';
import { focusFirstError, inputField, selectField, type Field } from './form-fields.js';
import type { View, ViewEnv } from './view.js';

export interface PrechatOptions {
  /** What the visitor typed last time (this page's life only: no personal data in storage). */
  initial: Partial<Record<PrechatFieldName, string>>;
  visitorToken: string | null;
  onStarted(created: WidgetSessionCreated, request: PrechatRequest): void;
}

/**
 * The pre-chat form: the campaign's fields, in its order, with required marks and errors under
 * each field; the proof of work runs while the visitor types ("Verificando…").
 */
export function prechatView(env: ViewEnv, options: PrechatOptions): View {
  const { t } = env.i18n;
  const { prechat } = env.config;
  const captchaLine = h('p', { class: 'vw-captcha', role: 'status' });
  const runner = new CaptchaRunner(env.config.captcha, () => env.api.captcha(), (status) => (captchaLine.textContent = captchaStatusText(status, t)));
  const fields = new Map<PrechatFieldName, { field: Field; required: boolean }>();
  for (const { name, required } of prechat.fields) {
    let field: Field;
    if (name === 'topic') {
      if (prechat.topics.length === 0) continue;
      field = selectField({ label: t('field.topic'), required, placeholder: t('field.topicPlaceholder'), choices: prechat.topics.map((topic) => ({ value: topic.id, label: topic.label })) });
    } else if (name === 'email') field = inputField({ label: t('field.email'), required, type: 'email', autocomplete: 'email', maxLength: PRECHAT_MAX.email });
    else if (name === 'phone') field = inputField({ label: t('field.phone'), required, type: 'tel', autocomplete: 'tel', maxLength: PRECHAT_MAX.phone, inputMode: 'tel' });
    else field = inputField({ label: t('field.name'), required, autocomplete: 'name', maxLength: PRECHAT_MAX.name });
    field.control.value = options.initial[name] ?? '';
    fields.set(name, { field, required });
  }
  const anyRequired = [...fields.values()].some((f) => f.required);
  const alert = h('p', { class: 'vw-alert', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'vw-btn' }, t('prechat.submit'));
  const form = h(
    'form',
    { class: 'vw-pad', novalidate: true },
    h('p', {}, t('prechat.intro')),
    anyRequired ? h('p', { class: 'vw-muted' }, t('field.requiredNote')) : null,
    ...[...fields.values()].map((f) => f.field.element),
    alert,
    captchaLine,
    submit,
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });

  async function send(): Promise<void> {
    if (submit.disabled) return;
    const request: PrechatRequest = {};
    let invalid = false;
    for (const [name, { field, required }] of fields) {
      const value = field.value();
      const problem = prechatProblem(name, value, required, t);
      field.setError(problem);
      if (problem) invalid = true;
      else if (value) request[name] = value;
    }
    if (invalid) {
      alert.textContent = t('error.summary');
      focusFirstError([...fields.values()].map((f) => f.field));
      return;
    }
    alert.textContent = '';
    submit.disabled = true;
    submit.textContent = t('prechat.submitting');
    try {
      const captcha = await runner.take();
      if (captcha) request.captcha = captcha;
      if (options.visitorToken) request.visitorToken = options.visitorToken;
      const created = await env.api.createSession(request);
      runner.stop();
      options.onStarted(created, request);
    } catch (error) {
      alert.textContent = errorText(error, env.i18n);
      submit.disabled = false;
      submit.textContent = t('prechat.submit');
      runner.start();
    }
  }

  runner.start();
  const first = [...fields.values()][0]?.field.control ?? submit;
  return { element: form, focus: first, dispose: () => runner.stop() };
}
