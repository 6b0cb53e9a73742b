import type { Language } from '@ventanilla/bots';
import { useId, useState } from 'react';
import { Icon } from '../../ui/icons.view.js';
import { Tabs } from '../../ui/tabs.view.js';
import { Field, FieldMessagesView } from '../admin-ui.js';
import type { FieldMessages } from '../form-problems.js';
import type { IcTranslate } from './i18n/ic-i18n.js';
import { addPhrases, INTENT_LANGUAGES, type IntentForm } from './intent-form.js';
import { messagesWithin } from './model-problems.js';

/**
 * One intent of the draft: name, description, phrases per language (one list per tab, bulk paste
 * one per line), answers per language, the flow it starts and whether it hands off to a person.
 * `messages` are the whole form's; this editor shows those under `intents.<index>`.
 */
export function IntentEditor({
  intent,
  index,
  flows,
  messages,
  editable,
  it,
  onChange,
  onDelete,
}: {
  intent: IntentForm;
  index: number;
  flows: string[];
  messages: FieldMessages;
  editable: boolean;
  it: IcTranslate;
  onChange(next: IntentForm): void;
  onDelete(): void;
}) {
  const prefix = `intents.${index}`;
  const [lang, setLang] = useState<Language>('es');
  const at = (sub: string) => messagesWithin(messages, `${prefix}.${sub}`).map((m) => m.message);
  const exactly = (sub: string) => messages[`${prefix}.${sub}`] ?? [];
  const rest = messagesWithin(messages, prefix).filter((m) => !/^(name|description|phrases|answers|flow|handoff)(\.|$)/.test(m.sub));
  const flowOptions = intent.flow && !flows.includes(intent.flow) ? [...flows, intent.flow] : flows;

  return (
    <div className="stack ic-intent-editor">
      <div className="ic-toolbar">
        <h4 className="ic-subtitle">{intent.name || it('ed.newIntentName')}</h4>
        <span className="spacer" />
        {editable && (
          <button type="button" className="btn btn-ghost btn-small admin-danger-text" onClick={onDelete}>
            {it('ed.deleteIntent')}
          </button>
        )}
      </div>
      {rest.length > 0 && <FieldMessagesView messages={rest.map((m) => (m.sub ? `${m.sub}: ${m.message}` : m.message))} />}
      <div className="ic-two">
        <Field label={it('ed.name')} messages={exactly('name')}>
          {(a) => <input {...a} value={intent.name} readOnly={!editable} autoComplete="off" spellCheck={false} onChange={(e) => onChange({ ...intent, name: e.target.value })} />}
        </Field>
        <Field label={it('ed.description')} messages={at('description')}>
          {(a) => <input {...a} value={intent.description} readOnly={!editable} maxLength={500} onChange={(e) => onChange({ ...intent, description: e.target.value })} />}
        </Field>
      </div>
      <fieldset className="admin-fieldset">
        <legend>{it('ed.phrases')}</legend>
        <FieldMessagesView messages={[...exactly('phrases'), ...messagesWithin(messages, `${prefix}.phrases`).filter((m) => m.sub !== '').map((m) => `${m.sub}: ${m.message}`)]} />
        <Tabs<Language>
          label={it('ed.phrases')}
          selected={lang}
          onSelect={setLang}
          tabs={INTENT_LANGUAGES.map((l) => ({
            id: l,
            icon: 'globe' as const,
            label: `${it(`ed.lang.${l}`)} (${intent.phrases[l].length})`,
            content: <PhraseList phrases={intent.phrases[l]} language={l} editable={editable} it={it} onChange={(phrases) => onChange({ ...intent, phrases: { ...intent.phrases, [l]: phrases } })} />,
          }))}
        />
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{it('ed.answers')}</legend>
        <p className="admin-hint">{it('ed.answersHint')}</p>
        <ol className="ic-answers">
          {intent.answers.map((answer, j) => (
            <li key={j} className="ic-answer">
              {INTENT_LANGUAGES.map((l) => (
                <Field key={l} label={it('ed.answerN', { n: j + 1, lang: it(`ed.lang.${l}`) })} messages={at(`answers.${j}.${l}`)}>
                  {(a) => (
                    <textarea
                      {...a}
                      rows={2}
                      value={answer[l]}
                      readOnly={!editable}
                      maxLength={4000}
                      onChange={(e) => onChange({ ...intent, answers: intent.answers.map((x, k) => (k === j ? { ...x, [l]: e.target.value } : x)) })}
                    />
                  )}
                </Field>
              ))}
              {editable && (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange({ ...intent, answers: intent.answers.filter((_, k) => k !== j) })}>
                  <Icon name="close" size={14} /> {it('ed.removeAnswer', { n: j + 1 })}
                </button>
              )}
            </li>
          ))}
        </ol>
        <FieldMessagesView messages={exactly('answers')} />
        {editable && intent.answers.length < 20 && (
          <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange({ ...intent, answers: [...intent.answers, { es: '', en: '' }] })}>
            + {it('ed.addAnswer')}
          </button>
        )}
      </fieldset>
      <div className="ic-two">
        <Field label={it('ed.flow')} messages={at('flow')}>
          {(a) => (
            <select {...a} value={intent.flow} disabled={!editable} onChange={(e) => onChange({ ...intent, flow: e.target.value })}>
              <option value="">{it('ed.noFlow')}</option>
              {flowOptions.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field admin-field">
          <label className="checkbox">
            <input type="checkbox" checked={intent.handoff} disabled={!editable} onChange={(e) => onChange({ ...intent, handoff: e.target.checked })} />
            {it('ed.handoff')}
          </label>
          <p className="admin-hint">{it('ed.handoffHint')}</p>
        </div>
      </div>
    </div>
  );
}

function PhraseList({ phrases, language, editable, it, onChange }: { phrases: string[]; language: Language; editable: boolean; it: IcTranslate; onChange(next: string[]): void }) {
  const [paste, setPaste] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const pasteId = useId();
  const langName = it(`ed.lang.${language}`);
  return (
    <div className="stack">
      {phrases.length === 0 ? (
        <p className="empty small">{it('ed.noPhrases', { lang: langName })}</p>
      ) : (
        <ul className="ic-phrases" aria-label={it('ed.phraseList', { lang: langName, count: phrases.length })}>
          {phrases.map((phrase, i) => (
            <li key={`${phrase}-${i}`} className="ic-phrase">
              <span>{phrase}</span>
              {editable && (
                <button type="button" className="chip-remove" aria-label={it('ed.removePhrase', { phrase })} onClick={() => onChange(phrases.filter((_, k) => k !== i))}>
                  <Icon name="close" size={12} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <div className="field admin-field">
          <label htmlFor={pasteId}>{it('ed.paste', { lang: langName })}</label>
          <textarea id={pasteId} rows={3} value={paste} onChange={(e) => setPaste(e.target.value)} />
          <div className="ic-toolbar">
            <button
              type="button"
              className="btn btn-secondary btn-small"
              disabled={paste.trim() === ''}
              onClick={() => {
                const added = addPhrases(phrases, paste);
                onChange(added.phrases);
                setPaste('');
                setResult(it('ed.pasteResult', { added: added.added.length, duplicates: added.duplicates.length, tooLong: added.tooLong.length }));
              }}
            >
              + {it('ed.pasteAdd')}
            </button>
            <span className="small muted" role="status">
              {result}
            </span>
          </div>
        </div>
      )}
    </div>
  );
}
