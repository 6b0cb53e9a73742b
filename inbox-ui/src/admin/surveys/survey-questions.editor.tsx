import { useEffect, useRef, useState } from 'react';
import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog, Field, FieldMessagesView } from '../admin-ui.js';
import { messagesAt, messagesUnder, type FieldMessages } from '../form-problems.js';
import { moveItem } from '../queue-form.js';
import { useSurveyI18n } from './i18n/survey-i18n.js';
import { contractQuestions, isContractList, newQuestion, type QuestionForm } from './survey-form.js';
import { MAX_SURVEY_QUESTIONS, QUESTION_TEXT } from './survey-limits.js';

type FocusTarget = { key: string; control: 'text' | 'up' | 'down' } | { key: null; control: 'add' };

/**
 * The yes/no questions: edit, add, remove, move up or down, or go back to the contract's 12.
 * Keyboard users keep their place: after a move the focus follows the moved question's button,
 * after a removal it lands on the next question; a polite live region says what happened.
 * Messages are the hub's paths, `questions.<i>…`, by position in the list.
 */
export function SurveyQuestionsEditor({
  questions,
  ids,
  messages,
  editable,
  onChange,
}: {
  questions: QuestionForm[];
  /** The id each question will be saved with (kept, or made from the text for a new one). */
  ids: readonly string[];
  messages: FieldMessages;
  editable: boolean;
  /** `structural` when questions were added, removed or reordered (index-keyed messages no longer fit). */
  onChange(questions: QuestionForm[], structural: boolean): void;
}) {
  const { t } = useAdmin();
  const { st } = useSurveyI18n();
  const listRef = useRef<HTMLDivElement>(null);
  const [focus, setFocus] = useState<FocusTarget | null>(null);
  const [status, setStatus] = useState('');
  const [restoring, setRestoring] = useState(false);
  const full = questions.length >= MAX_SURVEY_QUESTIONS;

  useEffect(() => {
    if (!focus) return;
    const root = listRef.current;
    const find = (control: string) => root?.querySelector<HTMLElement>(`[data-focus="${focus.key ?? ''}:${control}"]`);
    // A question moved to the top (or bottom) has that button disabled: its other one takes the focus.
    const other = focus.control === 'up' ? 'down' : focus.control === 'down' ? 'up' : focus.control;
    const target = [find(focus.control), find(other)].find((el) => el && !el.hasAttribute('disabled'));
    target?.focus();
    setFocus(null);
  }, [focus]);

  function move(index: number, delta: number) {
    const key = questions[index]?.key;
    if (!key) return;
    const next = moveItem(questions, index, delta);
    onChange(next, true);
    setFocus({ key, control: delta < 0 ? 'up' : 'down' });
    setStatus(st('sv.moved', { n: next.findIndex((q) => q.key === key) + 1, count: next.length }));
  }

  function remove(index: number) {
    const next = questions.filter((_, j) => j !== index);
    onChange(next, true);
    const landing = next[index] ?? next[index - 1];
    setFocus(landing ? { key: landing.key, control: 'text' } : { key: null, control: 'add' });
    setStatus(st('sv.removed', { n: index + 1 }));
  }

  function add() {
    const question = newQuestion();
    onChange([...questions, question], true);
    setFocus({ key: question.key, control: 'text' });
  }

  function restore() {
    const next = contractQuestions();
    onChange(next, true);
    // The restore button is disabled now that the list is the contract's: focus the first question.
    if (next[0]) setFocus({ key: next[0].key, control: 'text' });
    setStatus(st('sv.restored'));
  }

  return (
    <fieldset className="admin-fieldset">
      <legend>{st('sv.questions', { count: questions.length, max: MAX_SURVEY_QUESTIONS })}</legend>
      <p className="admin-hint">{st('sv.questionsHint')}</p>
      <FieldMessagesView messages={messagesAt(messages, 'questions')} />
      {questions.length === 0 && <p className="small muted">{st('sv.noQuestions')}</p>}
      <div ref={listRef}>
        {questions.length > 0 && (
          <ol className="survey-questions">
            {questions.map((q, i) => {
              const n = i + 1;
              const id = ids[i] ?? '';
              return (
                <li key={q.key} className={`survey-question${messagesUnder(messages, `questions.${i}`).length > 0 ? ' has-error' : ''}`}>
                  <Field label={st('sv.questionN', { n })} hint={q.id === null ? st('sv.idNew', { id }) : st('sv.idKept', { id })} messages={messagesUnder(messages, `questions.${i}`)}>
                    {(a) => (
                      <input
                        {...a}
                        type="text"
                        lang="es-MX"
                        data-focus={`${q.key}:text`}
                        value={q.text}
                        maxLength={QUESTION_TEXT.max}
                        onChange={(e) => onChange(questions.map((o) => (o.key === q.key ? { ...o, text: e.target.value } : o)), false)}
                      />
                    )}
                  </Field>
                  {editable && (
                    <div className="survey-question-actions">
                      <button type="button" className="btn btn-ghost btn-small" data-focus={`${q.key}:up`} disabled={i === 0} aria-label={st('sv.upN', { n })} onClick={() => move(i, -1)}>
                        <span aria-hidden="true">↑</span> {t('common.up')}
                      </button>
                      <button type="button" className="btn btn-ghost btn-small" data-focus={`${q.key}:down`} disabled={i === questions.length - 1} aria-label={st('sv.downN', { n })} onClick={() => move(i, 1)}>
                        <span aria-hidden="true">↓</span> {t('common.down')}
                      </button>
                      <button type="button" className="btn btn-ghost btn-small admin-danger-text" aria-label={st('sv.removeN', { n })} onClick={() => remove(i)}>
                        <Icon name="close" size={14} /> {t('common.remove')}
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        )}
        {editable && (
          <div className="admin-wrap survey-list-actions">
            <button type="button" className="btn btn-secondary btn-small" data-focus=":add" disabled={full} onClick={add}>
              + {st('sv.add')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" disabled={isContractList(questions)} onClick={() => setRestoring(true)}>
              {st('sv.restore')}
            </button>
            {full && <p className="admin-hint">{st('sv.maxReached', { max: MAX_SURVEY_QUESTIONS })}</p>}
          </div>
        )}
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {status}
      </p>
      {restoring && (
        <ConfirmDialog title={st('sv.restore')} message={<p>{st('sv.restoreConfirm')}</p>} confirmLabel={st('sv.restoreAction')} onClose={() => setRestoring(false)} onConfirm={restore} />
      )}
    </fieldset>
  );
}
