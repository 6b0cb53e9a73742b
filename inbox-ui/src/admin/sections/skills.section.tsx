import { useState } from 'react';
import { useAdmin } from '../admin-context.js';
import type { Skill } from '../admin-types.js';
import { EditorTitle, Field, FormBanner, LoadState, ReadOnlyNote, SaveBar, SectionHead, SplitView, useFormSubmit, useMessages, useResource } from '../admin-ui.js';
import { toSkillName, validateSkillName } from '../admin-validation.js';

/** Skills of the campaign (admins create them); which queues require each and how many agents have it. */
export function SkillsSection({ campaignId }: { campaignId: string }) {
  const { api, t, isAdmin } = useAdmin();
  const skills = useResource(campaignId, () => api.skills(campaignId).then((r) => r.items));
  const queues = useResource(campaignId, () => api.queues(campaignId).then((r) => r.items));
  const agents = useResource(campaignId, () => api.campaignAgents(campaignId).then((r) => r.items));
  const list = skills.data ?? [];

  return (
    <div className="admin-section">
      <SectionHead title={t('section.skills')} />
      <SplitView
        wide
        listLabel={t('skills.list')}
        list={
          skills.data === undefined ? (
            <LoadState loading={skills.loading} error={skills.error} onRetry={skills.reload} />
          ) : list.length === 0 ? (
            <p className="empty small">{t('skills.empty')}</p>
          ) : (
            <table className="admin-table">
              <caption className="sr-only">{t('skills.list')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('skills.name')}</th>
                  <th scope="col">{t('skills.queues')}</th>
                  <th scope="col">{t('skills.agents')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => {
                  const usedBy = (queues.data ?? []).filter((q) => q.requiredSkills.some((r) => r.skillId === s.id)).map((q) => q.name);
                  const holders = (agents.data ?? []).filter((a) => a.skills.some((k) => k.skillId === s.id)).length;
                  return (
                    <tr key={s.id}>
                      <td className="mono">{s.name}</td>
                      <td>{usedBy.length > 0 ? usedBy.join(', ') : <span className="muted">{t('skills.unused')}</span>}</td>
                      <td>{agents.data ? holders : '…'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
        editor={
          <div className="stack">
            {isAdmin ? (
              <NewSkillForm
                campaignId={campaignId}
                existing={list.map((s) => s.name)}
                onCreated={(skill) => skills.setData((items) => [...(items ?? []), skill].sort((a, b) => a.name.localeCompare(b.name)))}
              />
            ) : (
              <ReadOnlyNote text={t('skills.adminOnly')} />
            )}
            <p className="admin-hint">{t('skills.noEdit')}</p>
          </div>
        }
      />
    </div>
  );
}

function NewSkillForm({ campaignId, existing, onCreated }: { campaignId: string; existing: string[]; onCreated(skill: Skill): void }) {
  const { api, t, announce } = useAdmin();
  const [name, setName] = useState('');
  const submit = useFormSubmit();
  const problems = () => validateSkillName(name, existing);
  const messages = useMessages(submit.attempted, problems, submit.server);
  const suggestion = toSkillName(name);
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const skill = await api.createSkill(campaignId, name.trim());
          onCreated(skill);
          setName('');
          announce(t('admin.created', { name: skill.name }));
        });
      }}
    >
      <EditorTitle text={t('skills.new')} />
      <FormBanner messages={messages} server={submit.server} claims={['name']} />
      <Field label={t('skills.name')} hint={t('skills.nameHint')} messages={messages['name']}>
        {(a) => <input {...a} type="text" className="mono" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />}
      </Field>
      {name.trim() !== '' && suggestion !== name.trim() && suggestion.length >= 2 && (
        <p className="small">
          {t('skills.suggestion')}{' '}
          <button type="button" className="btn btn-ghost btn-small mono" onClick={() => setName(suggestion)}>
            {suggestion}
          </button>
        </p>
      )}
      <SaveBar busy={submit.busy} label={t('common.create')} />
    </form>
  );
}
