import { useState } from 'react';
import { Icon } from '../../ui/icons.view.js';
import { AFTER_HOURS_MODES, CHANNEL_CLASSES, MAX_SECONDS, MAX_SKILL_LEVEL, PRIORITY_RANGE, STRATEGIES, type AfterHoursMode, type StrategyName } from '../admin-limits.js';
import { useAdmin } from '../admin-context.js';
import type { AdminQueue, RoutingProblem, Skill } from '../admin-types.js';
import { ConfirmDialog, EditorTitle, Field, FieldMessagesView, FormBanner, ListButton, LoadState, ReadOnlyNote, SectionHead, SplitView, useFormSubmit, useMessages, useResource, WarningsBanner, EditActions } from '../admin-ui.js';
import { isUnder, messagesUnder, warningMessages, type FieldMessages } from '../form-problems.js';
import { OverflowEditor } from '../overflow-editor.view.js';
import { emptyQueueForm, formToQueueBody, queuePathLabel, queueToForm, validateQueueForm, type QueueForm } from '../queue-form.js';

/** Queues of the campaign: skills, priority, strategy, overflow and after-hours (admins and supervisors). */
export function QueuesSection({ campaignId }: { campaignId: string }) {
  const { api, t, isManager } = useAdmin();
  const queues = useResource(campaignId, () => api.queues(campaignId).then((r) => r.items));
  const skills = useResource(campaignId, () => api.skills(campaignId).then((r) => r.items));
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const [warnings, setWarnings] = useState<{ queueId: string; problems: RoutingProblem[] } | null>(null);
  const list = queues.data ?? [];
  const current = selected === 'new' ? null : (list.find((q) => q.id === selected) ?? list[0] ?? null);
  const editing = selected === 'new' || (queues.data !== undefined && current === null && isManager) ? 'new' : current;

  function saved(queue: AdminQueue, problems: RoutingProblem[]) {
    // A new default steps the previous one down on the hub: reload to show it.
    if (queue.isDefault) queues.reload();
    queues.setData((items) => {
      const all = items ?? [];
      const next = all.some((q) => q.id === queue.id) ? all.map((q) => (q.id === queue.id ? queue : q)) : [...all, queue];
      return next.sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name, 'es'));
    });
    setSelected(queue.id);
    setWarnings(problems.length > 0 ? { queueId: queue.id, problems } : null);
  }

  return (
    <div className="admin-section">
      <SectionHead title={t('section.queues')}>
        {isManager && (
          <button
            type="button"
            className="btn btn-primary btn-small"
            onClick={() => {
              setSelected('new');
              setWarnings(null);
            }}
          >
            + {t('queues.new')}
          </button>
        )}
      </SectionHead>
      <SplitView
        listLabel={t('queues.list')}
        list={
          queues.data === undefined ? (
            <LoadState loading={queues.loading} error={queues.error} onRetry={queues.reload} />
          ) : list.length === 0 ? (
            <p className="empty small">{t('queues.empty')}</p>
          ) : (
            <ul className="admin-list">
              {list.map((q) => (
                <li key={q.id}>
                  <ListButton
                    selected={editing !== 'new' && q.id === current?.id}
                    onClick={() => {
                      setSelected(q.id);
                      if (warnings?.queueId !== q.id) setWarnings(null);
                    }}
                  >
                    <span className="admin-item-title">
                      {q.name}
                      {q.isDefault && <span className="status-chip status-assigned">{t('queues.defaultBadge')}</span>}
                    </span>
                    <span className="admin-item-sub">
                      {t('queues.priorityShort', { n: q.priority })} · {t(q.tier === 2 ? 'queues.tier2Short' : 'queues.tier1Short')} · {t('queues.steps', { n: q.overflow.length })}
                    </span>
                    <span className="admin-item-sub">{t('queues.live', { waiting: q.live.waiting, offered: q.live.offered, assigned: q.live.assigned })}</span>
                  </ListButton>
                </li>
              ))}
            </ul>
          )
        }
        editor={
          queues.data === undefined ? null : skills.data === undefined ? (
            <LoadState loading={skills.loading} error={skills.error} onRetry={skills.reload} />
          ) : editing === 'new' ? (
            isManager ? <QueueEditor key="new" campaignId={campaignId} queue={null} queues={list} skills={skills.data} warnings={[]} onSaved={saved} onDeleted={() => undefined} onCancel={() => setSelected(null)} /> : null
          ) : editing ? (
            <QueueEditor
              key={editing.id}
              campaignId={campaignId}
              queue={editing}
              queues={list}
              skills={skills.data}
              warnings={warnings?.queueId === editing.id ? warnings.problems : []}
              onSaved={saved}
              onCancel={() => setSelected(null)}
              onDeleted={() => {
                queues.setData((items) => (items ?? []).filter((q) => q.id !== editing.id));
                setSelected(null);
              }}
            />
          ) : null
        }
      />
    </div>
  );
}

const CLAIMS = ['name', 'priority', 'tier', 'isDefault', 'strategy', 'maxWaitSeconds', 'channelClasses', 'requiredSkills', 'overflow', 'afterHours'];

function QueueEditor({
  campaignId,
  queue,
  queues,
  skills,
  warnings,
  onSaved,
  onDeleted,
  onCancel,
}: {
  campaignId: string;
  queue: AdminQueue | null;
  queues: AdminQueue[];
  skills: Skill[];
  warnings: RoutingProblem[];
  onSaved(queue: AdminQueue, warnings: RoutingProblem[]): void;
  onDeleted(): void;
  onCancel(): void;
}) {
  const { api, t, lang, isManager, announce } = useAdmin();
  const [form, setForm] = useState<QueueForm>(() => (queue ? queueToForm(queue) : emptyQueueForm(queues.length === 0)));
  const [deleting, setDeleting] = useState(false);
  const submit = useFormSubmit();
  const queueIds = new Set(queues.map((q) => q.id));
  const problems = () => validateQueueForm(form, { queueId: queue?.id ?? null, queueIds });
  const messages = useMessages(submit.attempted, problems, submit.server);
  const warned: FieldMessages = { ...warningMessages(warnings, lang), ...(submit.server?.warnings ?? {}) };
  const describe = (path: string) => {
    const label = queuePathLabel(path);
    return label ? t(label.key, label.values) : null;
  };
  const skillName = (id: string) => skills.find((s) => s.id === id)?.name ?? id;
  const usedSkills = new Set(form.requiredSkills.map((s) => s.skillId));
  const freeSkills = skills.filter((s) => !usedSkills.has(s.id));

  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const body = formToQueueBody(form);
          const result = queue ? await api.updateQueue(queue.id, body) : await api.createQueue(campaignId, body);
          const { warnings: found, ...view } = result;
          onSaved(view, found);
          announce(found.length > 0 ? t('queues.savedWithWarnings', { name: view.name }) : queue ? t('admin.saved') : t('admin.created', { name: view.name }), found.length > 0 ? 'warn' : 'ok');
        });
      }}
    >
      <EditorTitle text={queue ? t('queues.edit', { name: queue.name }) : t('queues.new')} />
      {!isManager && <ReadOnlyNote />}
      <FormBanner messages={messages} server={submit.server} claims={CLAIMS} describe={describe} />
      <WarningsBanner messages={warned} title={t('queues.warnings')} describe={describe} />
      <fieldset disabled={!isManager} className="admin-plain-fieldset stack">
        <div className="admin-grid-2">
          <Field label={t('queues.name')} messages={messages['name']}>
            {(a) => <input {...a} type="text" value={form.name} maxLength={120} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field label={t('queues.priority')} hint={t('queues.priorityHint')} messages={messages['priority']}>
            {(a) => <input {...a} type="number" min={PRIORITY_RANGE.min} max={PRIORITY_RANGE.max} value={form.priority} onChange={(e) => setForm({ ...form, priority: e.target.value })} />}
          </Field>
          <Field label={t('queues.tier')} hint={t('queues.tierHint')} messages={messagesUnder(messages, 'tier')}>
            {(a) => (
              <select {...a} value={form.tier} onChange={(e) => setForm({ ...form, tier: e.target.value === '2' ? 2 : 1 })}>
                <option value="1">{t('queues.tier1')}</option>
                <option value="2">{t('queues.tier2')}</option>
              </select>
            )}
          </Field>
          <Field label={t('queues.strategy')} messages={messages['strategy']}>
            {(a) => (
              <select {...a} value={form.strategy} onChange={(e) => setForm({ ...form, strategy: e.target.value as StrategyName })}>
                {STRATEGIES.map((s) => (
                  <option key={s} value={s}>
                    {t(`strategy.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('queues.maxWait')} hint={t('queues.maxWaitHint', { max: MAX_SECONDS })} messages={messages['maxWaitSeconds']}>
            {(a) => <input {...a} type="number" min={1} max={MAX_SECONDS} value={form.maxWaitSeconds} onChange={(e) => setForm({ ...form, maxWaitSeconds: e.target.value })} />}
          </Field>
          <div className="admin-field-stack">
            <label className="checkbox admin-check-top">
              <input type="checkbox" checked={form.isDefault} onChange={(e) => setForm({ ...form, isDefault: e.target.checked })} />
              {t('queues.default')}
            </label>
            <p className="admin-hint">{t('queues.defaultHint')}</p>
          </div>
        </div>

        <fieldset className="admin-fieldset" aria-describedby={messagesUnder(messages, 'channelClasses').length > 0 ? 'queue-classes-error' : undefined}>
          <legend>{t('queues.classes')}</legend>
          <div className="admin-checks">
            {CHANNEL_CLASSES.map((c) => (
              <label key={c} className="checkbox">
                <input
                  type="checkbox"
                  checked={form.channelClasses.includes(c)}
                  onChange={(e) => setForm({ ...form, channelClasses: e.target.checked ? [...form.channelClasses, c] : form.channelClasses.filter((x) => x !== c) })}
                />
                {t(`class.${c}`)}
              </label>
            ))}
          </div>
          <FieldMessagesView id="queue-classes-error" messages={messagesUnder(messages, 'channelClasses')} />
        </fieldset>

        <fieldset className="admin-fieldset">
          <legend>{t('queues.skills')}</legend>
          {form.requiredSkills.length === 0 && <p className="small muted">{t('queues.noSkills')}</p>}
          {form.requiredSkills.map((req, i) => {
            const path = `requiredSkills.${i}`;
            const rowMessages = messagesUnder(messages, path);
            const errorId = `queue-skill-${i}-error`;
            const n = i + 1;
            return (
              <div key={i} className="skill-row">
                <div className="row gap-s admin-wrap">
                  <select
                    value={req.skillId}
                    aria-label={t('queues.skillN', { n })}
                    aria-invalid={rowMessages.length > 0 && messagesUnder(messages, `${path}.skillId`).length > 0 ? true : undefined}
                    aria-describedby={rowMessages.length > 0 ? errorId : undefined}
                    onChange={(e) => setForm({ ...form, requiredSkills: form.requiredSkills.map((s, j) => (j === i ? { ...s, skillId: e.target.value } : s)) })}
                  >
                    <option value="">{t('queues.chooseSkill')}</option>
                    {skills
                      .filter((s) => s.id === req.skillId || !usedSkills.has(s.id))
                      .map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                    {req.skillId && !skills.some((s) => s.id === req.skillId) && <option value={req.skillId}>{skillName(req.skillId)}</option>}
                  </select>
                  <select
                    value={req.minLevel}
                    aria-label={t('queues.minLevelN', { n })}
                    aria-invalid={messagesUnder(messages, `${path}.minLevel`).length > 0 ? true : undefined}
                    aria-describedby={rowMessages.length > 0 ? errorId : undefined}
                    onChange={(e) => setForm({ ...form, requiredSkills: form.requiredSkills.map((s, j) => (j === i ? { ...s, minLevel: e.target.value } : s)) })}
                  >
                    {Array.from({ length: MAX_SKILL_LEVEL }, (_, k) => String(k + 1)).map((v) => (
                      <option key={v} value={v}>
                        {t('queues.levelOption', { n: v })}
                      </option>
                    ))}
                  </select>
                  <button type="button" className="btn btn-icon" aria-label={t('queues.removeSkill', { n })} onClick={() => setForm({ ...form, requiredSkills: form.requiredSkills.filter((_, j) => j !== i) })}>
                    <Icon name="close" size={14} />
                  </button>
                </div>
                <FieldMessagesView id={errorId} messages={rowMessages} />
              </div>
            );
          })}
          <FieldMessagesView messages={Object.entries(messages).flatMap(([p, l]) => (isUnder(p, 'requiredSkills') && !form.requiredSkills.some((_, i) => isUnder(p, `requiredSkills.${i}`)) ? l : []))} />
          <div>
            <button
              type="button"
              className="btn btn-secondary btn-small"
              disabled={freeSkills.length === 0}
              onClick={() => setForm({ ...form, requiredSkills: [...form.requiredSkills, { skillId: freeSkills[0]?.id ?? '', minLevel: '1' }] })}
            >
              + {t('queues.addSkill')}
            </button>
            {skills.length === 0 && <p className="admin-hint">{t('queues.noSkillsDefined')}</p>}
          </div>
        </fieldset>

        <OverflowEditor
          steps={form.overflow}
          messages={messages}
          warnings={warned}
          queues={queues}
          selfId={queue?.id ?? null}
          onChange={(overflow, structural) => {
            setForm({ ...form, overflow });
            // Index-keyed messages from the hub no longer point at the right step.
            if (structural && submit.server) submit.clearServer();
          }}
        />

        <fieldset className="admin-fieldset">
          <legend>{t('afterHours.title')}</legend>
          <p className="admin-hint">{t('afterHours.hint')}</p>
          <Field label={t('afterHours.mode')} messages={messagesUnder(messages, 'afterHours.mode')}>
            {(a) => (
              <select {...a} value={form.afterHoursMode} onChange={(e) => setForm({ ...form, afterHoursMode: e.target.value as AfterHoursMode })}>
                {AFTER_HOURS_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`afterHours.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('afterHours.es')} messages={[...messagesUnder(messages, 'afterHours.message.es'), ...(messages['afterHours'] ?? []), ...(messages['afterHours.message'] ?? [])]}>
            {(a) => <textarea {...a} rows={2} lang="es-MX" spellCheck value={form.afterHoursEs} maxLength={1000} onChange={(e) => setForm({ ...form, afterHoursEs: e.target.value })} />}
          </Field>
          <Field label={t('afterHours.en')} messages={messagesUnder(messages, 'afterHours.message.en')}>
            {(a) => <textarea {...a} rows={2} lang="en" spellCheck value={form.afterHoursEn} maxLength={1000} onChange={(e) => setForm({ ...form, afterHoursEn: e.target.value })} />}
          </Field>
        </fieldset>

        {isManager && <EditActions busy={submit.busy} editing={queue !== null && queue !== undefined} deleteLabel={t('queues.delete')} onDelete={() => setDeleting(true)} onCancel={onCancel} />}
      </fieldset>
      {deleting && queue && (
        <ConfirmDialog
          title={t('queues.delete')}
          message={<p>{t('queues.deleteConfirm', { name: queue.name })}</p>}
          confirmLabel={t('common.delete')}
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await api.deleteQueue(queue.id);
            announce(t('admin.deleted', { name: queue.name }));
            onDeleted();
          }}
        />
      )}
    </form>
  );
}
