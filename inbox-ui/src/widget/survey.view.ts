import type { SurveyAnswers, WidgetSurvey } from '@ventanilla/hub/widget-contract';
import { h, uid } from './dom.js';
import { errorText } from './error-text.js';
import { radioGroup } from './form-fields.js';
import type { View, ViewEnv } from './view.js';
import type { WidgetMessageKey } from './widget-messages.es-mx.js';

const RATINGS = [1, 2, 3, 4, 5] as const;
const RATING_LABEL: Record<(typeof RATINGS)[number], WidgetMessageKey> = {
  1: 'survey.rating.1',
  2: 'survey.rating.2',
  3: 'survey.rating.3',
  4: 'survey.rating.4',
  5: 'survey.rating.5',
};

/**
 * The exit survey of the campaign (issue 5 item 4): an overall 1–5 rating, the yes/no questions,
 * each agent who served rated apart (first and second level), a comment. Every question is a
 * fieldset whose legend is the question; nothing is mandatory, and it can be skipped.
 */
export function surveyView(env: ViewEnv, survey: WidgetSurvey, onDone: (answered: boolean) => void): View {
  const { t } = env.i18n;
  const scale = RATINGS.map((n) => ({ value: String(n), label: t(RATING_LABEL[n]) }));
  const rating = survey.rating ? radioGroup(t('survey.rating'), 'rating', scale) : null;
  const questions = survey.questions.map((q) => ({ id: q.id, group: radioGroup(q.text, 'q', [{ value: 'yes', label: t('survey.yes') }, { value: 'no', label: t('survey.no') }]) }));
  const agents = survey.agents.map((agent) => ({
    agentId: agent.agentId,
    group: radioGroup(t('survey.agent', { name: agent.displayName, tier: t(agent.tier === 'PS-P' ? 'survey.tier.PS-P' : 'survey.tier.PS-I') }), 'agent', scale),
  }));
  const commentId = uid('comment');
  const comment = survey.comment ? h('textarea', { id: commentId, rows: 3, maxlength: 2000 }) : null;
  const alert = h('p', { class: 'vw-alert', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'vw-btn' }, t('survey.submit'));
  const skip = h('button', { type: 'button', class: 'vw-btn vw-btn-secondary' }, t('survey.skip'));
  const headingId = uid('survey-title');
  const heading = h('h3', { id: headingId, tabindex: -1 }, t('survey.title'));
  const form = h(
    'form',
    { class: 'vw-pad', novalidate: true, 'aria-labelledby': headingId },
    heading,
    h('p', {}, t('survey.intro', { folio: survey.folio })),
    rating?.element ?? null,
    ...agents.map((a) => a.group.element),
    ...questions.map((q) => q.group.element),
    comment ? h('div', { class: 'vw-field' }, h('label', { for: commentId }, t('survey.comment')), comment) : null,
    alert,
    h('div', { class: 'vw-actions' }, submit, skip),
  );

  skip.addEventListener('click', () => onDone(false));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });

  async function send(): Promise<void> {
    if (submit.disabled) return;
    const answers: SurveyAnswers = { answers: {}, agentRatings: [] };
    const overall = rating?.value();
    if (overall) answers.rating = Number(overall);
    for (const q of questions) {
      const value = q.group.value();
      if (value) answers.answers[q.id] = value === 'yes';
    }
    for (const a of agents) {
      const value = a.group.value();
      if (value) answers.agentRatings.push({ agentId: a.agentId, rating: Number(value) });
    }
    const text = comment?.value.trim();
    if (text) answers.comment = text;
    submit.disabled = true;
    try {
      await env.api.submitSurvey(answers);
      onDone(true);
    } catch (error) {
      alert.textContent = errorText(error, env.i18n);
      submit.disabled = false;
    }
  }

  return { element: form, focus: heading };
}
