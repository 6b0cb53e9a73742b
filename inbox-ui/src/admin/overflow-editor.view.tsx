import { useId } from 'react';
import { Icon } from '../ui/icons.view.js';
import { MAX_OVERFLOW_STEPS, MAX_RELAX_LEVELS, MAX_SECONDS } from './admin-limits.js';
import { useAdmin } from './admin-context.js';
import type { AdminQueue } from './admin-types.js';
import { FieldMessagesView } from './admin-ui.js';
import { isUnder, messagesAt, messagesUnder, type FieldMessages } from './form-problems.js';
import { emptyStep, moveItem, type ActionKind, type OverflowStepForm, type TriggerKind } from './queue-form.js';

/**
 * Overflow steps, applied in order while a conversation waits: after N seconds (or when the
 * estimated wait passes N seconds) relax the required skill levels, or move it to another queue.
 * Messages are keyed `overflow.<step>…` as the hub reports them (cycles on the target).
 */
export function OverflowEditor({
  steps,
  messages,
  warnings,
  queues,
  selfId,
  onChange,
}: {
  steps: OverflowStepForm[];
  messages: FieldMessages;
  warnings: FieldMessages;
  queues: AdminQueue[];
  selfId: string | null;
  /** `structural` when steps were added, removed or reordered (index-keyed messages no longer fit). */
  onChange(steps: OverflowStepForm[], structural: boolean): void;
}) {
  const { t } = useAdmin();
  const id = useId();
  const targets = queues.filter((q) => q.id !== selfId);
  const update = (i: number, patch: Partial<OverflowStepForm>) => onChange(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)), false);
  const queueName = (qid: string) => queues.find((q) => q.id === qid)?.name ?? '…';

  function summary(step: OverflowStepForm): string {
    const seconds = step.seconds.trim() || '?';
    const when = step.triggerKind === 'afterSeconds' ? t('overflow.sumAfter', { seconds }) : t('overflow.sumEstimated', { seconds });
    const then = step.actionKind === 'relaxLevels' ? t('overflow.sumRelax', { levels: step.relaxLevels || '?' }) : t('overflow.sumMove', { queue: step.targetQueueId ? queueName(step.targetQueueId) : '?' });
    return `${when} → ${then}`;
  }

  return (
    <fieldset className="admin-fieldset">
      <legend>{t('overflow.title')}</legend>
      <p className="admin-hint">{t('overflow.hint')}</p>
      {steps.length === 0 && <p className="small muted">{t('overflow.none')}</p>}
      {steps.length > 0 && (
        <ol className="overflow-steps">
          {steps.map((step, i) => {
            const n = i + 1;
            const base = `overflow.${i}`;
            const triggerPath = `${base}.trigger`;
            const actionPath = `${base}.action`;
            const triggerMessages = messagesUnder(messages, triggerPath);
            const actionMessages = messagesUnder(messages, actionPath);
            const stepMessages = Object.entries(messages).flatMap(([p, l]) => (isUnder(p, base) && !isUnder(p, triggerPath) && !isUnder(p, actionPath) ? l : []));
            const stepWarnings = messagesUnder(warnings, base);
            const actionInvalid = actionMessages.length > 0 ? true : undefined;
            return (
              <li key={i} className={`overflow-step${messagesUnder(messages, base).length > 0 ? ' has-error' : ''}`}>
                <fieldset>
                  <legend className="overflow-step-title">
                    {t('overflow.step', { n })} <span className="small muted">— {summary(step)}</span>
                  </legend>
                  <div className="overflow-step-grid">
                    <label htmlFor={`${id}-${i}-tk`} className="overflow-label">
                      {t('overflow.when')}
                    </label>
                    <div className="row gap-s admin-wrap">
                      <select
                        id={`${id}-${i}-tk`}
                        value={step.triggerKind}
                        aria-label={t('overflow.whenN', { n })}
                        onChange={(e) => update(i, { triggerKind: e.target.value as TriggerKind })}
                      >
                        <option value="afterSeconds">{t('overflow.trigger.afterSeconds')}</option>
                        <option value="estimatedWaitOverSeconds">{t('overflow.trigger.estimatedWaitOverSeconds')}</option>
                      </select>
                      <input
                        type="number"
                        className="num-input"
                        min={1}
                        max={MAX_SECONDS}
                        value={step.seconds}
                        aria-label={t('overflow.secondsN', { n })}
                        aria-invalid={triggerMessages.length > 0 ? true : undefined}
                        aria-describedby={triggerMessages.length > 0 ? `${id}-${i}-te` : undefined}
                        onChange={(e) => update(i, { seconds: e.target.value })}
                      />
                      <span className="small muted">{t('overflow.seconds')}</span>
                    </div>
                    <FieldMessagesView id={`${id}-${i}-te`} messages={triggerMessages} />

                    <label htmlFor={`${id}-${i}-ak`} className="overflow-label">
                      {t('overflow.then')}
                    </label>
                    <div className="row gap-s admin-wrap">
                      <select id={`${id}-${i}-ak`} value={step.actionKind} aria-label={t('overflow.thenN', { n })} onChange={(e) => update(i, { actionKind: e.target.value as ActionKind })}>
                        <option value="relaxLevels">{t('overflow.action.relaxLevels')}</option>
                        <option value="moveToQueueId">{t('overflow.action.moveToQueueId')}</option>
                      </select>
                      {step.actionKind === 'relaxLevels' ? (
                        <select
                          value={step.relaxLevels}
                          aria-label={t('overflow.levelsN', { n })}
                          aria-invalid={actionInvalid}
                          aria-describedby={actionInvalid ? `${id}-${i}-ae` : undefined}
                          onChange={(e) => update(i, { relaxLevels: e.target.value })}
                        >
                          {Array.from({ length: MAX_RELAX_LEVELS }, (_, k) => String(k + 1)).map((v) => (
                            <option key={v} value={v}>
                              {t('overflow.levels', { n: v })}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <select
                          value={step.targetQueueId}
                          aria-label={t('overflow.targetN', { n })}
                          aria-invalid={actionInvalid}
                          aria-describedby={actionInvalid ? `${id}-${i}-ae` : undefined}
                          onChange={(e) => update(i, { targetQueueId: e.target.value })}
                        >
                          <option value="">{t('overflow.chooseQueue')}</option>
                          {targets.map((q) => (
                            <option key={q.id} value={q.id}>
                              {q.name} ({t(q.tier === 2 ? 'queues.tier2Short' : 'queues.tier1Short')})
                            </option>
                          ))}
                          {step.targetQueueId && !targets.some((q) => q.id === step.targetQueueId) && <option value={step.targetQueueId}>{step.targetQueueId}</option>}
                        </select>
                      )}
                    </div>
                    <FieldMessagesView id={`${id}-${i}-ae`} messages={actionMessages} />
                  </div>
                  <FieldMessagesView messages={stepMessages} />
                  <FieldMessagesView messages={stepWarnings} tone="warn" />
                  <div className="overflow-step-actions">
                    <button type="button" className="btn btn-ghost btn-small" disabled={i === 0} aria-label={t('overflow.upN', { n })} onClick={() => onChange(moveItem(steps, i, -1), true)}>
                      ↑ {t('common.up')}
                    </button>
                    <button type="button" className="btn btn-ghost btn-small" disabled={i === steps.length - 1} aria-label={t('overflow.downN', { n })} onClick={() => onChange(moveItem(steps, i, 1), true)}>
                      ↓ {t('common.down')}
                    </button>
                    <button type="button" className="btn btn-ghost btn-small" aria-label={t('overflow.removeN', { n })} onClick={() => onChange(steps.filter((_, j) => j !== i), true)}>
                      <Icon name="close" size={14} /> {t('common.remove')}
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
      )}
      <FieldMessagesView messages={messagesAt(messages, 'overflow')} />
      <div>
        <button type="button" className="btn btn-secondary btn-small" disabled={steps.length >= MAX_OVERFLOW_STEPS} onClick={() => onChange([...steps, emptyStep()], true)}>
          + {t('overflow.add')}
        </button>
      </div>
    </fieldset>
  );
}
