import { useMemo, useState } from 'react';
import { formatDateTime } from '../../i18n/format.js';
import { Tabs } from '../../ui/tabs.view.js';
import { CAPACITY_LIMITS, CHANNEL_CLASSES, MAX_SKILL_LEVEL, ROLES, type ChannelClass } from '../admin-limits.js';
import { useAdmin } from '../admin-context.js';
import type { AdminUser, LiveAgent, Role, Skill } from '../admin-types.js';
import { EditorTitle, Field, FieldMessagesView, FormBanner, ListButton, LoadState, ReadOnlyNote, SaveBar, SectionHead, SplitView, useFormSubmit, useMessages, useResource, WarningsBanner } from '../admin-ui.js';
import { validateAgentSkills, validateCapacity, validateUser } from '../admin-validation.js';
import { messagesUnder, warningMessages, type FieldMessages } from '../form-problems.js';

type Tab = 'accounts' | 'live';

/** Staff accounts (roles, memberships, disabled), each agent's skills and capacity, and the campaign's live seats. */
export function UsersSection({ campaignId }: { campaignId: string | null }) {
  const { api, t, isAdmin, campaign } = useAdmin();
  const [tab, setTab] = useState<Tab>('accounts');
  const [onlyCampaign, setOnlyCampaign] = useState(!isAdmin);
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const [query, setQuery] = useState('');
  const scope = onlyCampaign && campaignId ? campaignId : undefined;
  const users = useResource(`users:${scope ?? 'all'}`, () => api.users(scope).then((r) => r.items));
  const agents = useResource(campaignId ? `agents:${campaignId}` : null, () => api.campaignAgents(campaignId!).then((r) => r.items));
  const skills = useResource(campaignId ? `skills:${campaignId}` : null, () => api.skills(campaignId!).then((r) => r.items));
  const list = users.data ?? [];
  const q = query.trim().toLowerCase();
  const visible = q ? list.filter((u) => `${u.displayName} ${u.email}`.toLowerCase().includes(q)) : list;
  const current = selected === 'new' ? null : (list.find((u) => u.id === selected) ?? null);

  function saved(user: AdminUser) {
    users.setData((items) => {
      const all = items ?? [];
      return all.some((u) => u.id === user.id) ? all.map((u) => (u.id === user.id ? user : u)) : [...all, user].sort((a, b) => a.email.localeCompare(b.email));
    });
    setSelected(user.id);
    // Roles or memberships change who appears among the campaign's agents.
    agents.reload();
  }

  const accounts = (
    <SplitView
      listLabel={t('users.list')}
      list={
        <div className="stack">
          <label className="search">
            <span className="sr-only">{t('users.search')}</span>
            <input type="search" value={query} placeholder={t('users.search')} onChange={(e) => setQuery(e.target.value)} />
          </label>
          {isAdmin && campaignId && (
            <label className="checkbox small">
              <input type="checkbox" checked={onlyCampaign} onChange={(e) => setOnlyCampaign(e.target.checked)} />
              {t('users.onlyCampaign', { campaign: campaign?.name ?? '' })}
            </label>
          )}
          {users.data === undefined ? (
            <LoadState loading={users.loading} error={users.error} onRetry={users.reload} />
          ) : visible.length === 0 ? (
            <p className="empty small">{t('users.empty')}</p>
          ) : (
            <ul className="admin-list">
              {visible.map((u) => (
                <li key={u.id}>
                  <ListButton selected={u.id === current?.id} onClick={() => setSelected(u.id)}>
                    <span className="admin-item-title">
                      {u.displayName}
                      {u.disabled && <span className="status-chip status-abandoned">{t('users.disabledBadge')}</span>}
                    </span>
                    <span className="admin-item-sub">{u.email}</span>
                    <span className="admin-item-sub">{u.roles.map((r) => t(`role.${r}`)).join(' · ')}</span>
                  </ListButton>
                </li>
              ))}
            </ul>
          )}
        </div>
      }
      editor={
        selected === 'new' ? (
          isAdmin ? <UserEditor key="new" user={null} onSaved={saved} onCancel={() => setSelected(null)} /> : null
        ) : current ? (
          <div className="stack">
            <UserEditor key={current.id} user={current} onSaved={saved} onCancel={() => setSelected(null)} />
            {campaignId && current.roles.includes('agent') && (
              <AgentPanel
                key={`agent-${current.id}`}
                campaignId={campaignId}
                user={current}
                agent={agents.data?.find((a) => a.agentId === current.id) ?? null}
                loading={agents.data === undefined}
                skills={skills.data ?? []}
                onChanged={(next) => agents.setData((items) => (items ?? []).map((a) => (a.agentId === next.agentId ? next : a)))}
              />
            )}
          </div>
        ) : (
          <p className="empty">{t('users.pick')}</p>
        )
      }
    />
  );

  return (
    <div className="admin-section">
      <SectionHead title={t('section.users')}>
        {isAdmin && tab === 'accounts' && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setSelected('new')}>
            + {t('users.new')}
          </button>
        )}
      </SectionHead>
      <Tabs<Tab>
        label={t('section.users')}
        selected={tab}
        onSelect={setTab}
        tabs={[
          { id: 'accounts', label: t('users.tabAccounts'), icon: 'user', content: accounts },
          {
            id: 'live',
            label: t('users.tabLive'),
            icon: 'clock',
            content: (
              <LiveSeats
                agents={agents.data}
                loading={agents.loading}
                error={agents.error}
                onReload={agents.reload}
                onOpen={(id) => {
                  setSelected(id);
                  setOnlyCampaign(true);
                  setTab('accounts');
                }}
              />
            ),
          },
        ]}
      />
    </div>
  );
}

function UserEditor({ user, onSaved, onCancel }: { user: AdminUser | null; onSaved(user: AdminUser): void; onCancel(): void }) {
  const { api, t, lang, isAdmin, campaigns, announce, user: me } = useAdmin();
  const [form, setForm] = useState({
    email: user?.email ?? '',
    displayName: user?.displayName ?? '',
    password: '',
    roles: (user?.roles ?? ['agent']) as Role[],
    campaignIds: user?.campaignIds ?? [],
    locale: user?.locale ?? 'es-MX',
    disabled: user?.disabled ?? false,
  });
  const submit = useFormSubmit();
  const problems = () => validateUser(form, user === null);
  const messages = useMessages(submit.attempted, problems, submit.server);
  const isMe = user?.id === me.id;
  const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list, value] : list.filter((x) => x !== value));

  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          if (!user) {
            const created = await api.createUser({ email: form.email.trim(), displayName: form.displayName.trim(), password: form.password, roles: form.roles, campaignIds: form.campaignIds, locale: form.locale });
            onSaved(created);
            announce(t('admin.created', { name: created.displayName }));
            return;
          }
          let result = user;
          const patch = {
            ...(form.displayName.trim() !== user.displayName ? { displayName: form.displayName.trim() } : {}),
            ...(ROLES.filter((r) => form.roles.includes(r)).join() !== ROLES.filter((r) => user.roles.includes(r)).join() ? { roles: form.roles } : {}),
            ...(form.disabled !== user.disabled ? { disabled: form.disabled } : {}),
          };
          if (Object.keys(patch).length > 0) result = await api.updateUser(user.id, patch);
          if ([...form.campaignIds].sort().join() !== [...user.campaignIds].sort().join()) result = await api.setUserCampaigns(user.id, form.campaignIds);
          onSaved(result);
          announce(t('admin.saved'));
        });
      }}
    >
      <EditorTitle text={user ? t('users.edit', { name: user.displayName }) : t('users.new')} />
      {!isAdmin && <ReadOnlyNote text={t('users.adminOnly')} />}
      <FormBanner messages={messages} server={submit.server} claims={['email', 'displayName', 'password', 'roles', 'campaignIds', 'locale', 'disabled']} />
      <fieldset disabled={!isAdmin} className="admin-plain-fieldset stack">
        <div className="admin-grid-2">
          <Field label={t('users.displayName')} messages={messages['displayName']}>
            {(a) => <input {...a} type="text" value={form.displayName} maxLength={120} autoComplete="off" onChange={(e) => setForm({ ...form, displayName: e.target.value })} />}
          </Field>
          <Field label={t('users.email')} hint={user ? t('users.emailFixed') : undefined} messages={messages['email']}>
            {(a) => <input {...a} type="email" value={form.email} readOnly={user !== null} autoComplete="off" onChange={(e) => setForm({ ...form, email: e.target.value })} />}
          </Field>
          {!user && (
            <Field label={t('users.password')} hint={t('users.passwordHint')} messages={messages['password']}>
              {(a) => <input {...a} type="password" value={form.password} autoComplete="new-password" onChange={(e) => setForm({ ...form, password: e.target.value })} />}
            </Field>
          )}
          {!user && (
            <Field label={t('users.locale')} messages={messages['locale']}>
              {(a) => (
                <select {...a} value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value })}>
                  <option value="es-MX">Español (México)</option>
                  <option value="en">English</option>
                </select>
              )}
            </Field>
          )}
        </div>
        <fieldset className="admin-fieldset" aria-describedby={messagesUnder(messages, 'roles').length > 0 ? 'user-roles-error' : undefined}>
          <legend>{t('users.roles')}</legend>
          <div className="admin-checks">
            {ROLES.map((r) => (
              <label key={r} className="checkbox">
                <input type="checkbox" checked={form.roles.includes(r)} disabled={isMe && r === 'admin'} onChange={(e) => setForm({ ...form, roles: toggle(form.roles, r, e.target.checked) })} />
                {t(`role.${r}`)}
              </label>
            ))}
          </div>
          <FieldMessagesView id="user-roles-error" messages={messagesUnder(messages, 'roles')} />
        </fieldset>
        <fieldset className="admin-fieldset" aria-describedby={messagesUnder(messages, 'campaignIds').length > 0 ? 'user-campaigns-error' : undefined}>
          <legend>{t('users.campaigns')}</legend>
          {campaigns.length === 0 && <p className="small muted">{t('admin.noCampaigns')}</p>}
          <div className="admin-checks">
            {campaigns.map((c) => (
              <label key={c.id} className="checkbox">
                <input type="checkbox" checked={form.campaignIds.includes(c.id)} onChange={(e) => setForm({ ...form, campaignIds: toggle(form.campaignIds, c.id, e.target.checked) })} />
                {c.name}
              </label>
            ))}
          </div>
          <FieldMessagesView id="user-campaigns-error" messages={messagesUnder(messages, 'campaignIds')} />
        </fieldset>
        {user && (
          <div>
            <label className="checkbox">
              <input type="checkbox" checked={form.disabled} disabled={isMe} onChange={(e) => setForm({ ...form, disabled: e.target.checked })} />
              {t('users.disabled')}
            </label>
            <p className="admin-hint">{isMe ? t('users.notYourself') : t('users.disabledHint')}</p>
          </div>
        )}
        {user && <p className="small muted">{user.lastLoginAt ? t('users.lastLogin', { when: formatDateTime(user.lastLoginAt, lang) }) : t('users.neverLoggedIn')}</p>}
        {isAdmin && (
          <SaveBar busy={submit.busy} label={user ? t('common.save') : t('common.create')}>
            {!user && (
              <button type="button" className="btn btn-ghost" onClick={onCancel}>
                {t('common.cancel')}
              </button>
            )}
          </SaveBar>
        )}
      </fieldset>
    </form>
  );
}

/** One agent's seat in the selected campaign: seat type (read-only), skills with levels, own capacity. */
function AgentPanel({ campaignId, user, agent, loading, skills, onChanged }: { campaignId: string; user: AdminUser; agent: LiveAgent | null; loading: boolean; skills: Skill[]; onChanged(agent: LiveAgent): void }) {
  const { t, campaign, campaigns, selectCampaign } = useAdmin();
  if (loading) return <p className="empty small">{t('common.loading')}</p>;
  if (!agent) {
    const elsewhere = campaigns.filter((c) => c.id !== campaignId && user.campaignIds.includes(c.id));
    return (
      <div className="admin-card stack">
        <EditorTitle text={t('users.agentTitle', { campaign: campaign?.name ?? '' })} />
        <p className="small muted">{user.disabled ? t('users.agentDisabled') : t('users.notAgentHere')}</p>
        {!user.disabled && elsewhere.length > 0 && (
          <div className="row gap-s admin-wrap">
            {elsewhere.map((c) => (
              <button key={c.id} type="button" className="btn btn-secondary btn-small" onClick={() => selectCampaign(c.id)}>
                {t('users.seeIn', { campaign: c.name })}
              </button>
            ))}
          </div>
        )}
      </div>
    );
  }
  return (
    <div className="admin-card stack">
      <EditorTitle text={t('users.agentTitle', { campaign: campaign?.name ?? '' })} />
      <dl className="kv admin-kv">
        <div className="kv-row">
          <dt>{t('users.seatType')}</dt>
          <dd>
            <span className="status-chip">{agent.seatType}</span> <span className="small muted">{t('users.seatTypeHint')}</span>
          </dd>
        </div>
        <div className="kv-row">
          <dt>{t('live.state')}</dt>
          <dd>{stateName(agent.state, t)}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('live.load')}</dt>
          <dd>{CHANNEL_CLASSES.map((c) => `${t(`class.${c}`)} ${agent.load[c]}/${agent.capacity[c]}`).join(' · ')}</dd>
        </div>
      </dl>
      <AgentSkillsForm campaignId={campaignId} agent={agent} skills={skills} onChanged={onChanged} />
      <AgentCapacityForm agent={agent} onChanged={onChanged} />
    </div>
  );
}

function stateName(state: string, t: ReturnType<typeof useAdmin>['t']): string {
  const known = ['available', 'after_contact_work', 'lunch', 'training', 'coaching', 'personal', 'not_ready', 'offline'] as const;
  return (known as readonly string[]).includes(state) ? t(`state.${state as (typeof known)[number]}`) : state;
}

function AgentSkillsForm({ campaignId, agent, skills, onChanged }: { campaignId: string; agent: LiveAgent; skills: Skill[]; onChanged(agent: LiveAgent): void }) {
  const { api, t, announce } = useAdmin();
  const initial = useMemo(() => Object.fromEntries(skills.map((s) => [s.id, String(agent.skills.find((k) => k.skillId === s.id)?.level ?? '')])), [skills, agent.skills]);
  const [levels, setLevels] = useState<Record<string, string>>(initial);
  const submit = useFormSubmit();
  const problems = () => validateAgentSkills(levels);
  const messages = useMessages(submit.attempted, problems, submit.server);
  const chosen = skills.filter((s) => (levels[s.id] ?? '') !== '');
  // The hub reports `skills.<index>.…` by position in the request: map back to the skill.
  const byIndex: FieldMessages = Object.fromEntries(Object.entries(messages).map(([path, list]) => {
    const m = /^skills\.(\d+)/.exec(path);
    const skill = m ? chosen[Number(m[1])] : undefined;
    return [skill ? `skills.${skill.id}` : path, list];
  }));
  return (
    <form
      ref={submit.formRef}
      className="stack"
      noValidate
      aria-label={t('users.skillsTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const result = await api.setAgentSkills(agent.agentId, campaignId, chosen.map((s) => ({ skillId: s.id, level: Number(levels[s.id]) })));
          onChanged({ ...agent, skills: result.skills });
          announce(t('users.skillsSaved', { name: agent.displayName }));
        });
      }}
    >
      <h4 className="admin-subtitle">{t('users.skillsTitle')}</h4>
      <FormBanner messages={byIndex} server={submit.server} claims={['skills']} />
      {skills.length === 0 ? (
        <p className="small muted">{t('queues.noSkillsDefined')}</p>
      ) : (
        <div className="admin-grid-3">
          {skills.map((s) => (
            <Field key={s.id} label={<span className="mono">{s.name}</span>} messages={messagesUnder(byIndex, `skills.${s.id}`)}>
              {(a) => (
                <select {...a} value={levels[s.id] ?? ''} onChange={(e) => setLevels({ ...levels, [s.id]: e.target.value })}>
                  <option value="">{t('users.noLevel')}</option>
                  {Array.from({ length: MAX_SKILL_LEVEL }, (_, k) => String(k + 1)).map((v) => (
                    <option key={v} value={v}>
                      {t('queues.levelOption', { n: v })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ))}
        </div>
      )}
      {skills.length > 0 && <SaveBar busy={submit.busy} label={t('users.saveSkills')} />}
    </form>
  );
}

function AgentCapacityForm({ agent, onChanged }: { agent: LiveAgent; onChanged(agent: LiveAgent): void }) {
  const { api, t, lang, announce } = useAdmin();
  const [values, setValues] = useState<Record<ChannelClass, string>>(() => ({
    text: agent.capacityOverride.text === undefined ? '' : String(agent.capacityOverride.text),
    voice: agent.capacityOverride.voice === undefined ? '' : String(agent.capacityOverride.voice),
    email: agent.capacityOverride.email === undefined ? '' : String(agent.capacityOverride.email),
  }));
  const [warnings, setWarnings] = useState<FieldMessages>({});
  const submit = useFormSubmit();
  const problems = () => validateCapacity(values);
  const messages = useMessages(submit.attempted, problems, submit.server);
  return (
    <form
      ref={submit.formRef}
      className="stack"
      noValidate
      aria-label={t('users.capacityTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const toValue = (c: ChannelClass) => (values[c].trim() === '' ? null : Number(values[c]));
          const result = await api.setAgentCapacity(agent.agentId, { text: toValue('text'), voice: toValue('voice'), email: toValue('email') });
          onChanged({ ...agent, capacity: result.capacity, capacityOverride: result.capacityOverride, load: result.load, state: result.state });
          setWarnings(warningMessages(result.warnings, lang));
          announce(t('users.capacitySaved', { name: agent.displayName }), result.warnings.length > 0 ? 'warn' : 'ok');
        });
      }}
    >
      <h4 className="admin-subtitle">{t('users.capacityTitle')}</h4>
      <p className="admin-hint">{t('users.capacityHint')}</p>
      <FormBanner messages={messages} server={submit.server} claims={[...CHANNEL_CLASSES]} />
      <WarningsBanner messages={warnings} title={t('users.capacityWarnings')} describe={(p) => ((CHANNEL_CLASSES as readonly string[]).includes(p) ? t(`class.${p as ChannelClass}`) : null)} />
      <div className="admin-grid-3">
        {CHANNEL_CLASSES.map((c) => (
          <Field key={c} label={t(`class.${c}`)} hint={t('users.capacityNow', { value: agent.capacity[c], min: CAPACITY_LIMITS[c].min, max: CAPACITY_LIMITS[c].max })} messages={messages[c]}>
            {(a) => (
              <input {...a} type="number" min={CAPACITY_LIMITS[c].min} max={CAPACITY_LIMITS[c].max} value={values[c]} placeholder={t('users.campaignDefault')} onChange={(e) => setValues({ ...values, [c]: e.target.value })} />
            )}
          </Field>
        ))}
      </div>
      <SaveBar busy={submit.busy} label={t('users.saveCapacity')} />
    </form>
  );
}

function LiveSeats({ agents, loading, error, onReload, onOpen }: { agents: LiveAgent[] | undefined; loading: boolean; error: unknown; onReload(): void; onOpen(id: string): void }) {
  const { t, lang, campaign } = useAdmin();
  if (!campaign) return <p className="empty">{t('admin.needCampaign')}</p>;
  return (
    <div className="stack admin-live">
      <div className="row gap-s">
        <p className="small muted">{t('live.hint', { campaign: campaign.name })}</p>
        <span className="spacer" />
        <button type="button" className="btn btn-secondary btn-small" onClick={onReload} disabled={loading}>
          {t('live.refresh')}
        </button>
      </div>
      {agents === undefined ? (
        <LoadState loading={loading} error={error} onRetry={onReload} />
      ) : agents.length === 0 ? (
        <p className="empty small">{t('live.empty')}</p>
      ) : (
        <div className="admin-card">
        <table className="admin-table">
          <caption className="sr-only">{t('users.tabLive')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('live.agent')}</th>
              <th scope="col">{t('live.state')}</th>
              <th scope="col">{t('users.seatType')}</th>
              {CHANNEL_CLASSES.map((c) => (
                <th key={c} scope="col">
                  {t(`class.${c}`)}
                </th>
              ))}
              <th scope="col">{t('live.skills')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.agentId}>
                <th scope="row">
                  <button type="button" className="btn btn-ghost btn-small admin-link" onClick={() => onOpen(a.agentId)}>
                    {a.displayName}
                  </button>
                </th>
                <td>
                  <span className={`status-dot-inline state-${a.state}`} aria-hidden="true" /> {stateName(a.state, t)}
                  {a.stateSince && <span className="small muted"> · {formatDateTime(a.stateSince, lang)}</span>}
                </td>
                <td>{a.seatType}</td>
                {CHANNEL_CLASSES.map((c) => (
                  <td key={c} className="num">
                    {a.load[c]}/{a.capacity[c]}
                    {a.capacityOverride[c] !== undefined && (
                      <span className="small muted">
                        {' '}
                        *<span className="sr-only">{t('live.override')}</span>
                      </span>
                    )}
                  </td>
                ))}
                <td className="small">{a.skills.map((s) => `${s.name} ${s.level}`).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </div>
  );
}
