import { useId, useState } from 'react';
import { useAdmin } from '../admin-context.js';
import { FormBanner, ReadOnlyNote, SaveBar, useFormSubmit, useMessages } from '../admin-ui.js';
import { useSurveyI18n, type SurveyTranslate } from './i18n/survey-i18n.js';
import type { SurveyApi, SurveySettings } from './survey-api.js';
import { reservedIds, toSurveyForm, toSurveySettings, validateSurveyForm, type SurveyForm } from './survey-form.js';
import { SurveyQuestionsEditor } from './survey-questions.editor.js';

const TOGGLES = ['enabled', 'rating', 'comment', 'rateAgents'] as const;

/** `questions.3.text` → "Pregunta 4", for the hub's messages listed in the banner. */
function describePath(path: string, st: SurveyTranslate): string | null {
  const question = /^questions\.(\d+)(\.|$)/.exec(path);
  if (question) return st('sv.questionN', { n: Number(question[1]) + 1 });
  const toggle = TOGGLES.find((key) => key === path);
  return toggle ? st(`sv.${toggle}`) : null;
}

/**
 * The campaign's exit survey (issue 5 item 4): what it includes and its yes/no questions. The
 * hub replaces the whole survey on save and audits it; its 400s land on the question they name.
 */
export function SurveySettingsEditor({ api, campaignId, settings, editable, onSaved }: { api: SurveyApi; campaignId: string; settings: SurveySettings; editable: boolean; onSaved(settings: SurveySettings): void }) {
  const { announce } = useAdmin();
  const { st } = useSurveyI18n();
  const [form, setForm] = useState<SurveyForm>(() => toSurveyForm(settings));
  const [reserved, setReserved] = useState(() => reservedIds(settings));
  const titleId = useId();
  const submit = useFormSubmit();
  const messages = useMessages(submit.attempted, () => validateSurveyForm(form), submit.server);
  const ids = toSurveySettings(form, reserved).questions.map((q) => q.id);

  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      aria-labelledby={titleId}
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(validateSurveyForm(form), async () => {
          const saved = (await api.saveSettings(campaignId, toSurveySettings(form, reserved))).settings;
          setForm(toSurveyForm(saved));
          setReserved((before) => new Set([...before, ...reservedIds(saved)]));
          onSaved(saved);
          announce(st('sv.saved'));
        });
      }}
    >
      <h3 id={titleId} className="admin-editor-title">
        {st('sv.settings')}
      </h3>
      <p className="admin-hint">{st('sv.settingsHint')}</p>
      {!editable && <ReadOnlyNote text={st('sv.readOnly')} />}
      <FormBanner messages={messages} server={submit.server} claims={['questions']} describe={(path) => describePath(path, st)} />
      <fieldset disabled={!editable} className="admin-plain-fieldset stack">
        <fieldset className="admin-fieldset">
          <legend>{st('sv.parts')}</legend>
          <div className="survey-toggles">
            {TOGGLES.map((key) => (
              <label key={key} className="checkbox">
                <input type="checkbox" checked={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.checked })} />
                {st(`sv.${key}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <SurveyQuestionsEditor
          questions={form.questions}
          ids={ids}
          messages={messages}
          editable={editable}
          onChange={(questions, structural) => {
            setForm({ ...form, questions });
            // The hub's messages name questions by position: after a move they would point at the wrong one.
            if (structural && submit.server) submit.clearServer();
          }}
        />
        {editable && <SaveBar busy={submit.busy} label={st('sv.save')} />}
      </fieldset>
    </form>
  );
}
