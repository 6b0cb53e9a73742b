import { Icon } from '../../ui/icons.view.js';
import { Field, FieldMessagesView } from '../admin-ui.js';
import type { FieldMessages } from '../form-problems.js';
import type { IcTranslate } from './i18n/ic-i18n.js';
import { emptyEntity, INTENT_LANGUAGES, type EntityForm } from './intent-form.js';
import { messagesWithin } from './model-problems.js';

/** The model's custom entities: closed lists of values with synonyms per language. */
export function EntitiesEditor({ entities, messages, editable, it, onChange }: { entities: EntityForm[]; messages: FieldMessages; editable: boolean; it: IcTranslate; onChange(next: EntityForm[], structural: boolean): void }) {
  const update = (i: number, next: EntityForm) => onChange(entities.map((e, k) => (k === i ? next : e)), false);
  return (
    <fieldset className="admin-fieldset stack">
      <legend>{it('ed.entities', { count: entities.length })}</legend>
      <p className="admin-hint">{it('ed.entitiesHint')}</p>
      <FieldMessagesView messages={messages['entities'] ?? []} />
      {entities.map((entity, i) => {
        const prefix = `entities.${i}`;
        const other = messagesWithin(messages, prefix).filter((m) => m.sub !== 'name' && !m.sub.startsWith('values.'));
        return (
          <div key={entity.key} className="ic-entity">
            <div className="ic-toolbar">
              <Field label={it('ed.entityName')} messages={messages[`${prefix}.name`] ?? []}>
                {(a) => <input {...a} value={entity.name} readOnly={!editable} spellCheck={false} onChange={(e) => update(i, { ...entity, name: e.target.value })} />}
              </Field>
              <span className="spacer" />
              {editable && (
                <button type="button" className="btn btn-ghost btn-small admin-danger-text" onClick={() => onChange(entities.filter((_, k) => k !== i), true)}>
                  <Icon name="close" size={14} /> {it('ed.removeEntity', { name: entity.name || it('ed.entityN', { n: i + 1 }) })}
                </button>
              )}
            </div>
            <FieldMessagesView messages={other.map((m) => (m.sub === '' || m.sub === 'values' ? m.message : `${m.sub}: ${m.message}`))} />
            <ol className="ic-values">
              {entity.values.map((value, j) => (
                <li key={j} className="ic-value">
                  <Field label={it('ed.valueN', { n: j + 1 })} messages={messagesWithin(messages, `${prefix}.values.${j}.value`).map((m) => m.message)}>
                    {(a) => <input {...a} value={value.value} readOnly={!editable} maxLength={100} onChange={(e) => update(i, { ...entity, values: entity.values.map((v, k) => (k === j ? { ...v, value: e.target.value } : v)) })} />}
                  </Field>
                  {INTENT_LANGUAGES.map((l) => (
                    <Field key={l} label={it('ed.synonyms', { lang: it(`ed.lang.${l}`) })} messages={messagesWithin(messages, `${prefix}.values.${j}.synonyms.${l}`).map((m) => m.message)}>
                      {(a) => (
                        <textarea
                          {...a}
                          rows={2}
                          value={value.synonyms[l]}
                          readOnly={!editable}
                          onChange={(e) => update(i, { ...entity, values: entity.values.map((v, k) => (k === j ? { ...v, synonyms: { ...v.synonyms, [l]: e.target.value } } : v)) })}
                        />
                      )}
                    </Field>
                  ))}
                  {editable && entity.values.length > 1 && (
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => update(i, { ...entity, values: entity.values.filter((_, k) => k !== j) })}>
                      {it('ed.removeValue', { n: j + 1 })}
                    </button>
                  )}
                </li>
              ))}
            </ol>
            {editable && (
              <button type="button" className="btn btn-secondary btn-small" onClick={() => update(i, { ...entity, values: [...entity.values, { value: '', synonyms: { es: '', en: '' } }] })}>
                + {it('ed.addValue')}
              </button>
            )}
          </div>
        );
      })}
      {editable && (
        <div>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange([...entities, emptyEntity()], true)}>
            + {it('ed.addEntity')}
          </button>
        </div>
      )}
    </fieldset>
  );
}
