import { templateVariableCount } from '../../composer/template-body.js';
import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { Field, FieldMessagesView } from '../admin-ui.js';
import { messagesAt, messagesUnder, type FieldMessages } from '../form-problems.js';
import type { AdminMessageKey } from '../i18n/admin-messages.es-mx.js';
import { emptyTemplateRow, TEMPLATE_CATEGORIES, TEMPLATE_LIMITS, type TemplateCategory, type TemplateRowForm } from './whatsapp-settings-form.js';

const CATEGORY_LABEL: Record<TemplateCategory, AdminMessageKey> = { utility: 'waChannel.category.utility', marketing: 'waChannel.category.marketing', authentication: 'waChannel.category.authentication' };

/**
 * The templates approved in WhatsApp Manager, typed here exactly as approved (name, language,
 * body): agents pick from this list once the 24-hour window closes. The number of values comes
 * from the body's `{{n}}`, so it cannot disagree with the text.
 */
export function TemplateCatalogueEditor({ rows, messages, warnings, onChange }: { rows: TemplateRowForm[]; messages: FieldMessages; warnings: FieldMessages; onChange(rows: TemplateRowForm[]): void }) {
  const { t } = useAdmin();
  const set = (i: number, patch: Partial<TemplateRowForm>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="admin-fieldset">
      <legend>{t('waChannel.templates')}</legend>
      <p className="admin-hint">{t('waChannel.templatesHint')}</p>
      {rows.length === 0 && <p className="empty small">{t('waChannel.noTemplates')}</p>}
      {rows.map((row, i) => {
        const at = `settings.templates.${i}`;
        const warning = messagesAt(warnings, `${at}.body`);
        return (
          <section key={i} className="admin-card-inner stack" aria-label={t('waChannel.templateN', { n: i + 1, name: row.name || '—' })}>
            <div className="admin-grid-3">
              <Field label={t('waChannel.templateName')} hint={t('waChannel.templateNameHint')} messages={messagesAt(messages, `${at}.name`)}>
                {(a) => <input {...a} type="text" spellCheck={false} value={row.name} onChange={(e) => set(i, { name: e.target.value })} />}
              </Field>
              <Field label={t('waChannel.templateLanguage')} hint={t('waChannel.templateLanguageHint')} messages={messagesAt(messages, `${at}.language`)}>
                {(a) => <input {...a} type="text" spellCheck={false} value={row.language} maxLength={TEMPLATE_LIMITS.language.max} onChange={(e) => set(i, { language: e.target.value })} />}
              </Field>
              <Field label={t('waChannel.templateCategory')} messages={messagesAt(messages, `${at}.category`)}>
                {(a) => (
                  <select {...a} value={row.category} onChange={(e) => set(i, { category: TEMPLATE_CATEGORIES.find((c) => c === e.target.value) ?? '' })}>
                    <option value="">{t('waChannel.category.none')}</option>
                    {TEMPLATE_CATEGORIES.map((c) => (
                      <option key={c} value={c}>
                        {t(CATEGORY_LABEL[c])}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <Field
              label={t('waChannel.templateBody')}
              hint={
                warning.length > 0 ? (
                  <span className="admin-warning">
                    <Icon name="alert" size={14} /> {warning.join(' ')}
                  </span>
                ) : (
                  t('waChannel.templateVariables', { count: templateVariableCount(row.body) })
                )
              }
              messages={messagesAt(messages, `${at}.body`)}
            >
              {(a) => <textarea {...a} rows={3} lang="es-MX" value={row.body} maxLength={TEMPLATE_LIMITS.body} onChange={(e) => set(i, { body: e.target.value })} />}
            </Field>
            <FieldMessagesView messages={messagesUnder(messages, `${at}.variables`)} />
            <div>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                <Icon name="close" size={14} /> {t('waChannel.removeTemplate', { name: row.name || String(i + 1) })}
              </button>
            </div>
          </section>
        );
      })}
      <FieldMessagesView messages={messagesAt(messages, 'settings.templates')} />
      <div>
        <button type="button" className="btn btn-secondary btn-small" disabled={rows.length >= TEMPLATE_LIMITS.templates} onClick={() => onChange([...rows, emptyTemplateRow()])}>
          {t('waChannel.addTemplate')}
        </button>
      </div>
    </fieldset>
  );
}
