import { useId, type ReactNode } from 'react';
import { Icon } from '../../ui/icons.view.js';
import { AA_TEXT } from '../../widget/contrast.js';
import { useAdmin } from '../admin-context.js';
import { Field, FieldMessagesView } from '../admin-ui.js';
import { messagesAt, messagesUnder, type FieldMessages } from '../form-problems.js';
import type { AdminMessageKey } from '../i18n/admin-messages.es-mx.js';
import { CAPTCHA_KINDS, formatRatio, headerContrast, parseOrigins, WEBCHAT_LIMITS, WIDGET_LOCALES, WIDGET_POSITIONS, type PrechatFieldName, type WebchatSettingsForm } from './webchat-settings-form.js';
import './channels.css';

/** Paths this editor shows next to a field; anything else the hub says goes to the form's banner. */
export const WEBCHAT_CLAIMS = [
  'settings.title',
  'settings.locale',
  'settings.colors',
  'settings.position',
  'settings.allowedOrigins',
  'settings.prechat',
  'settings.closedMessage',
  'settings.leaveMessage',
  'settings.captcha',
  'settings.attachments',
  'settings.maskIp',
];

const FIELD_LABEL: Record<PrechatFieldName, AdminMessageKey> = {
  name: 'webchat.prechat.name',
  email: 'webchat.prechat.email',
  phone: 'webchat.prechat.phone',
  topic: 'webchat.prechat.topic',
};

/** `settings.allowedOrigins.2: …` → "«https://x.mx/a»: …", so a message names the line it is about. */
function originMessages(messages: FieldMessages, origins: readonly string[]): string[] {
  return Object.entries(messages).flatMap(([path, list]) => {
    if (path === 'settings.allowedOrigins') return list;
    const match = /^settings\.allowedOrigins\.(\d+)$/.exec(path);
    const origin = match ? origins[Number(match[1])] : undefined;
    return match ? list.map((m) => (origin === undefined ? m : `«${origin}»: ${m}`)) : [];
  });
}

/** A colour as text (#RRGGBB, what the hub stores) with a picker beside it for the same value. */
function ColorField({ label, pickLabel, value, messages, hint, onChange }: { label: string; pickLabel: string; value: string; messages: string[]; hint?: ReactNode; onChange(value: string): void }) {
  return (
    <Field label={label} messages={messages} hint={hint}>
      {(a) => (
        <div className="row gap-s">
          <input type="color" className="channel-color-pick" aria-label={pickLabel} value={/^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : '#000000'} onChange={(e) => onChange(e.target.value)} />
          <input {...a} type="text" value={value} maxLength={7} spellCheck={false} placeholder="#RRGGBB" onChange={(e) => onChange(e.target.value)} />
        </div>
      )}
    </Field>
  );
}

/** The web chat widget: look, who may embed it, the pre-chat form, closed hours, abuse controls, files. */
export function WebchatSettingsEditor({ form, messages, warnings, onChange }: { form: WebchatSettingsForm; messages: FieldMessages; warnings: FieldMessages; onChange(form: WebchatSettingsForm): void }) {
  const { t } = useAdmin();
  const id = useId();
  const set = (patch: Partial<WebchatSettingsForm>) => onChange({ ...form, ...patch });
  const ratio = headerContrast(form);
  const contrastWarning = messagesAt(warnings, 'settings.colors.onPrimary');
  const origins = parseOrigins(form.origins);
  const inv = (path: string) => (messagesUnder(messages, path).length > 0 ? true : undefined);
  const L = WEBCHAT_LIMITS;

  return (
    <>
      <fieldset className="admin-fieldset">
        <legend>{t('webchat.look')}</legend>
        <div className="admin-grid-2">
          <Field label={t('webchat.title')} messages={messagesAt(messages, 'settings.title')}>
            {(a) => <input {...a} type="text" value={form.title} maxLength={L.title} onChange={(e) => set({ title: e.target.value })} />}
          </Field>
          <Field label={t('webchat.locale')} messages={messagesAt(messages, 'settings.locale')}>
            {(a) => (
              <select {...a} value={form.locale} onChange={(e) => set({ locale: WIDGET_LOCALES.find((l) => l === e.target.value) ?? form.locale })}>
                {WIDGET_LOCALES.map((l) => (
                  <option key={l} value={l}>
                    {t(l === 'en' ? 'webchat.locale.en' : 'webchat.locale.es')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <ColorField label={t('webchat.primary')} pickLabel={t('webchat.pickPrimary')} value={form.primary} messages={messagesAt(messages, 'settings.colors.primary')} onChange={(primary) => set({ primary })} />
          <ColorField
            label={t('webchat.onPrimary')}
            pickLabel={t('webchat.pickOnPrimary')}
            value={form.onPrimary}
            messages={messagesAt(messages, 'settings.colors.onPrimary')}
            hint={
              ratio === null ? undefined : (
                <span className="channel-contrast" aria-live="polite">
                  <span className="channel-swatch" style={{ background: form.primary, borderColor: form.onPrimary }} aria-hidden="true" />
                  {contrastWarning.length > 0 ? (
                    <span className="admin-warning">
                      <Icon name="alert" size={14} /> {contrastWarning.join(' ')}
                    </span>
                  ) : (
                    t('webchat.contrastOk', { ratio: formatRatio(ratio), min: AA_TEXT })
                  )}
                </span>
              )
            }
            onChange={(onPrimary) => set({ onPrimary })}
          />
        </div>
        <fieldset className="admin-subfieldset">
          <legend>{t('webchat.position')}</legend>
          <div className="admin-checks">
            {WIDGET_POSITIONS.map((p) => (
              <label key={p} className="radio">
                <input type="radio" name={`${id}-position`} checked={form.position === p} onChange={() => set({ position: p })} />
                {t(p === 'bottom-left' ? 'webchat.position.left' : 'webchat.position.right')}
              </label>
            ))}
          </div>
        </fieldset>
      </fieldset>

      <fieldset className="admin-fieldset">
        <legend>{t('webchat.origins')}</legend>
        <Field label={t('webchat.originsLabel')} hint={t('webchat.originsHint', { max: L.origins })} messages={originMessages(messages, origins)}>
          {(a) => <textarea {...a} rows={3} value={form.origins} spellCheck={false} placeholder="https://www.gob.mx" onChange={(e) => set({ origins: e.target.value })} />}
        </Field>
      </fieldset>

      <fieldset className="admin-fieldset">
        <legend>{t('webchat.prechat')}</legend>
        <p className="admin-hint">{t('webchat.prechatHint')}</p>
        <table className="admin-table channel-prechat">
          <thead>
            <tr>
              <th scope="col">{t('webchat.prechat.field')}</th>
              <th scope="col">{t('webchat.prechat.ask')}</th>
              <th scope="col">{t('webchat.prechat.required')}</th>
            </tr>
          </thead>
          <tbody>
            {form.prechat.map((field, i) => {
              const label = t(FIELD_LABEL[field.name]);
              const update = (patch: { ask?: boolean; required?: boolean }) => set({ prechat: form.prechat.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
              return (
                <tr key={field.name}>
                  <th scope="row">{label}</th>
                  <td>
                    <input type="checkbox" aria-label={t('webchat.prechat.askN', { field: label })} checked={field.ask} onChange={(e) => update({ ask: e.target.checked, ...(e.target.checked ? {} : { required: false }) })} />
                  </td>
                  <td>
                    <input type="checkbox" aria-label={t('webchat.prechat.requiredN', { field: label })} checked={field.required} disabled={!field.ask} onChange={(e) => update({ required: e.target.checked })} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <FieldMessagesView messages={messagesUnder(messages, 'settings.prechat.fields')} />

        <fieldset className="admin-subfieldset">
          <legend>{t('webchat.topics')}</legend>
          <p className="admin-hint" id={`${id}-topics-hint`}>
            {t('webchat.topicsHint')}
          </p>
          {form.topics.map((topic, i) => {
            const path = `settings.prechat.topics.${i}`;
            // Both inputs of a row share one message line, so each message names its input.
            const errors = [
              ...messagesAt(messages, path),
              ...messagesUnder(messages, `${path}.id`).map((m) => `${t('webchat.topicId')}: ${m}`),
              ...messagesUnder(messages, `${path}.label`).map((m) => `${t('webchat.topicLabel')}: ${m}`),
            ];
            const described = [`${id}-topics-hint`, errors.length > 0 ? `${id}-topic${i}` : null].filter(Boolean).join(' ');
            const update = (patch: Partial<typeof topic>) => set({ topics: form.topics.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <div key={i} className="channel-row">
                <div className="row gap-s">
                  <input
                    type="text"
                    className="channel-topic-id"
                    value={topic.id}
                    maxLength={L.topicId}
                    placeholder={t('webchat.topicId')}
                    aria-label={t('webchat.topicIdN', { n: i + 1 })}
                    aria-invalid={inv(`${path}.id`)}
                    aria-describedby={described}
                    onChange={(e) => update({ id: e.target.value })}
                  />
                  <input
                    type="text"
                    value={topic.label}
                    maxLength={L.topicLabel}
                    placeholder={t('webchat.topicLabel')}
                    aria-label={t('webchat.topicLabelN', { n: i + 1 })}
                    aria-invalid={inv(`${path}.label`)}
                    aria-describedby={described}
                    onChange={(e) => update({ label: e.target.value })}
                  />
                  <button type="button" className="btn btn-icon" aria-label={t('webchat.removeTopic', { n: i + 1 })} onClick={() => set({ topics: form.topics.filter((_, j) => j !== i) })}>
                    <Icon name="close" size={14} />
                  </button>
                </div>
                <FieldMessagesView id={`${id}-topic${i}`} messages={errors} />
              </div>
            );
          })}
          {form.topics.length < L.topics && (
            <button type="button" className="btn btn-ghost btn-small channel-add" onClick={() => set({ topics: [...form.topics, { id: '', label: '' }] })}>
              + {t('webchat.addTopic')}
            </button>
          )}
          <FieldMessagesView messages={messagesAt(messages, 'settings.prechat.topics')} />
          <FieldMessagesView messages={messagesAt(warnings, 'settings.prechat.topics')} tone="warn" />
        </fieldset>
      </fieldset>

      <fieldset className="admin-fieldset">
        <legend>{t('webchat.closedTitle')}</legend>
        <Field label={t('webchat.closedMessage')} hint={t('webchat.closedHint')} messages={messagesAt(messages, 'settings.closedMessage')}>
          {(a) => <textarea {...a} rows={3} value={form.closedMessage} maxLength={L.closedMessage} onChange={(e) => set({ closedMessage: e.target.value })} />}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={form.leaveMessage} onChange={(e) => set({ leaveMessage: e.target.checked })} />
          {t('webchat.leaveMessage')}
        </label>
      </fieldset>

      <fieldset className="admin-fieldset">
        <legend>{t('webchat.abuse')}</legend>
        <fieldset className="admin-subfieldset">
          <legend>{t('webchat.captcha')}</legend>
          <div className="admin-checks">
            {CAPTCHA_KINDS.map((k) => (
              <label key={k} className="radio">
                <input type="radio" name={`${id}-captcha`} checked={form.captcha === k} onChange={() => set({ captcha: k })} />
                {t(k === 'pow' ? 'webchat.captcha.pow' : 'webchat.captcha.none')}
              </label>
            ))}
          </div>
          {form.captcha === 'pow' && (
            <Field label={t('webchat.difficulty')} hint={t('webchat.difficultyHint', { min: L.difficulty.min, max: L.difficulty.max })} messages={messagesAt(messages, 'settings.captcha.difficulty')} className="channel-narrow">
              {(a) => <input {...a} type="number" min={L.difficulty.min} max={L.difficulty.max} step={1} value={form.difficulty} onChange={(e) => set({ difficulty: e.target.value })} />}
            </Field>
          )}
          <FieldMessagesView messages={messagesAt(messages, 'settings.captcha.kind')} />
        </fieldset>
        <label className="checkbox">
          <input type="checkbox" checked={form.maskIp} onChange={(e) => set({ maskIp: e.target.checked })} />
          {t('webchat.maskIp')}
        </label>
      </fieldset>

      <fieldset className="admin-fieldset">
        <legend>{t('webchat.attachments')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={form.attachmentsEnabled} onChange={(e) => set({ attachmentsEnabled: e.target.checked })} />
          {t('webchat.attachmentsEnabled')}
        </label>
        <Field label={t('webchat.maxMb')} hint={t('webchat.maxMbHint', { max: L.maxBytes.max / (1024 * 1024) })} messages={messagesAt(messages, 'settings.attachments.maxBytes')} className="channel-narrow">
          {(a) => <input {...a} type="text" inputMode="decimal" value={form.maxMb} onChange={(e) => set({ maxMb: e.target.value })} />}
        </Field>
        <Field label={t('webchat.accept')} hint={t('webchat.acceptHint')} messages={messagesUnder(messages, 'settings.attachments.accept')}>
          {(a) => <textarea {...a} rows={3} value={form.accept} spellCheck={false} onChange={(e) => set({ accept: e.target.value })} />}
        </Field>
      </fieldset>
    </>
  );
}
