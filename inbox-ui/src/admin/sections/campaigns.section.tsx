import { useState } from 'react';
import { AGENT_STATES, CAPACITY_LIMITS, CHANNEL_CLASSES, ROUTING_RANGES } from '../admin-limits.js';
import { useAdmin } from '../admin-context.js';
import type { AdminCampaign, CampaignRouting } from '../admin-types.js';
import { EditorTitle, Field, FormBanner, ListButton, LoadState, ReadOnlyNote, SaveBar, SectionHead, SplitView, useFormSubmit, useMessages, useResource } from '../admin-ui.js';
import { validateCampaign } from '../admin-validation.js';
import { messagesUnder } from '../form-problems.js';
import { HOLIDAY_CLAIMS, HolidaysEditor } from '../holidays-editor.view.js';
import { formToRouting, isKnownTimeZone, ROUTING_NUMBER_FIELDS, routingToForm, validateRoutingForm, type RoutingForm } from '../routing-form.js';
import { ScheduleEditor, scheduleClaims, timeZoneOptions } from '../schedule-editor.view.js';

/** Campaigns: the list, a new one (admins), name and time zone, and the routing settings with hours and holidays. */
export function CampaignsSection() {
  const { t, campaigns, campaign, selectCampaign, isAdmin } = useAdmin();
  const [creating, setCreating] = useState(false);
  return (
    <div className="admin-section">
      <SectionHead title={t('section.campaigns')}>
        {isAdmin && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setCreating(true)}>
            + {t('campaigns.new')}
          </button>
        )}
      </SectionHead>
      <SplitView
        listLabel={t('campaigns.list')}
        list={
          campaigns.length === 0 ? (
            <p className="empty small">{t('admin.noCampaigns')}</p>
          ) : (
            <ul className="admin-list">
              {campaigns.map((c) => (
                <li key={c.id}>
                  <ListButton
                    selected={!creating && c.id === campaign?.id}
                    onClick={() => {
                      setCreating(false);
                      selectCampaign(c.id);
                    }}
                  >
                    <span className="admin-item-title">{c.name}</span>
                    <span className="admin-item-sub mono">
                      {c.folioPrefix} · {c.slug} · {c.timeZone}
                    </span>
                  </ListButton>
                </li>
              ))}
            </ul>
          )
        }
        editor={
          creating || !campaign ? (
            isAdmin ? (
              <NewCampaignForm onDone={() => setCreating(false)} />
            ) : (
              <p className="empty">{t('admin.noCampaigns')}</p>
            )
          ) : (
            <div className="stack">
              <CampaignGeneralForm key={campaign.id} campaign={campaign} />
              <RoutingEditor key={`routing-${campaign.id}`} campaign={campaign} />
            </div>
          )
        }
      />
    </div>
  );
}

function NewCampaignForm({ onDone }: { onDone(): void }) {
  const { api, t, upsertCampaign, announce } = useAdmin();
  const [form, setForm] = useState({ slug: '', name: '', folioPrefix: '', timeZone: 'America/Mexico_City' });
  const submit = useFormSubmit();
  const problems = () => validateCampaign(form, isKnownTimeZone, true);
  const messages = useMessages(submit.attempted, problems, submit.server);
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const created = await api.createCampaign({ slug: form.slug.trim(), name: form.name.trim(), folioPrefix: form.folioPrefix.trim(), timeZone: form.timeZone });
          upsertCampaign(created);
          announce(t('admin.created', { name: created.name }));
          onDone();
        });
      }}
    >
      <EditorTitle text={t('campaigns.new')} />
      <FormBanner messages={messages} server={submit.server} claims={['slug', 'name', 'folioPrefix', 'timeZone']} />
      <Field label={t('campaigns.name')} messages={messages['name']}>
        {(a) => <input {...a} type="text" value={form.name} maxLength={120} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
      </Field>
      <div className="admin-grid-2">
        <Field label={t('campaigns.slug')} hint={t('campaigns.slugHint')} messages={messages['slug']}>
          {(a) => <input {...a} type="text" className="mono" value={form.slug} maxLength={63} onChange={(e) => setForm({ ...form, slug: e.target.value.toLowerCase() })} />}
        </Field>
        <Field label={t('campaigns.folioPrefix')} hint={t('campaigns.folioHint')} messages={messages['folioPrefix']}>
          {(a) => <input {...a} type="text" className="mono" value={form.folioPrefix} maxLength={5} onChange={(e) => setForm({ ...form, folioPrefix: e.target.value.toUpperCase() })} />}
        </Field>
      </div>
      <Field label={t('campaigns.timeZone')} messages={messages['timeZone']}>
        {(a) => (
          <select {...a} value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })}>
            {timeZoneOptions(form.timeZone).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        )}
      </Field>
      <SaveBar busy={submit.busy} label={t('common.create')}>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </SaveBar>
    </form>
  );
}

function CampaignGeneralForm({ campaign }: { campaign: AdminCampaign }) {
  const { api, t, isAdmin, upsertCampaign, announce } = useAdmin();
  const [form, setForm] = useState({ name: campaign.name, timeZone: campaign.timeZone });
  const submit = useFormSubmit();
  const problems = () => validateCampaign({ ...form, slug: campaign.slug, folioPrefix: campaign.folioPrefix }, isKnownTimeZone, false);
  const messages = useMessages(submit.attempted, problems, submit.server);
  const dirty = form.name !== campaign.name || form.timeZone !== campaign.timeZone;
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack admin-card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const saved = await api.updateCampaign(campaign.id, { ...(form.name.trim() !== campaign.name ? { name: form.name.trim() } : {}), ...(form.timeZone !== campaign.timeZone ? { timeZone: form.timeZone } : {}) });
          upsertCampaign(saved);
          announce(t('admin.saved'));
        });
      }}
    >
      <EditorTitle text={t('campaigns.general')} />
      {!isAdmin && <ReadOnlyNote />}
      <FormBanner messages={messages} server={submit.server} claims={['name', 'timeZone']} />
      <fieldset disabled={!isAdmin} className="admin-plain-fieldset stack">
        <div className="admin-grid-2">
          <Field label={t('campaigns.name')} messages={messages['name']}>
            {(a) => <input {...a} type="text" value={form.name} maxLength={120} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field label={t('campaigns.timeZone')} hint={t('campaigns.timeZoneHint')} messages={messages['timeZone']}>
            {(a) => (
              <select {...a} value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })}>
                {timeZoneOptions(form.timeZone).map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <dl className="kv admin-kv">
          <div className="kv-row">
            <dt>{t('campaigns.slug')}</dt>
            <dd className="mono">{campaign.slug}</dd>
          </div>
          <div className="kv-row">
            <dt>{t('campaigns.folioPrefix')}</dt>
            <dd className="mono">{campaign.folioPrefix}</dd>
          </div>
        </dl>
        {isAdmin && <SaveBar busy={submit.busy} disabled={!dirty} />}
      </fieldset>
    </form>
  );
}

const NUMBER_HINTS = {
  afterContactWorkMaxSeconds: 'routing.afterContactWorkMaxSecondsHint',
  offerTimeoutSeconds: 'routing.offerTimeoutSecondsHint',
  autoLogoutMinutes: 'routing.autoLogoutMinutesHint',
  stickyHours: 'routing.stickyHoursHint',
} as const;

function RoutingEditor({ campaign }: { campaign: AdminCampaign }) {
  const { api } = useAdmin();
  const resource = useResource(campaign.id, () => api.routing(campaign.id).then((r) => r.routing));
  if (!resource.data) return <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />;
  return <RoutingFormView campaignId={campaign.id} routing={resource.data} onSaved={(r) => resource.setData(() => r)} />;
}

function RoutingFormView({ campaignId, routing, onSaved }: { campaignId: string; routing: CampaignRouting; onSaved(routing: CampaignRouting): void }) {
  const { api, t, isAdmin, announce } = useAdmin();
  const [form, setForm] = useState<RoutingForm>(() => routingToForm(routing));
  const submit = useFormSubmit();
  const problems = () => validateRoutingForm(form, isKnownTimeZone);
  const messages = useMessages(submit.attempted, problems, submit.server);
  const claims = ['capacity', ...ROUTING_NUMBER_FIELDS, 'autoAccept', 'billableStates', ...scheduleClaims(), ...HOLIDAY_CLAIMS];
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack admin-card"
      noValidate
      aria-label={t('routing.title')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const saved = await api.saveRouting(campaignId, formToRouting(form));
          onSaved(saved.routing);
          setForm(routingToForm(saved.routing));
          announce(t('routing.saved'));
        });
      }}
    >
      <EditorTitle text={t('routing.title')} />
      {!isAdmin && <ReadOnlyNote />}
      <FormBanner messages={messages} server={submit.server} claims={claims} />
      <fieldset disabled={!isAdmin} className="admin-plain-fieldset stack">
        <fieldset className="admin-fieldset">
          <legend>{t('routing.capacity')}</legend>
          <p className="admin-hint">{t('routing.capacityHint')}</p>
          <div className="admin-grid-3">
            {CHANNEL_CLASSES.map((c) => (
              <Field key={c} label={t(`class.${c}`)} hint={t('v.rangeHint', { min: CAPACITY_LIMITS[c].min, max: CAPACITY_LIMITS[c].max })} messages={messages[`capacity.${c}`]}>
                {(a) => (
                  <input
                    {...a}
                    type="number"
                    min={CAPACITY_LIMITS[c].min}
                    max={CAPACITY_LIMITS[c].max}
                    value={form.capacity[c]}
                    onChange={(e) => setForm({ ...form, capacity: { ...form.capacity, [c]: e.target.value } })}
                  />
                )}
              </Field>
            ))}
          </div>
        </fieldset>
        <fieldset className="admin-fieldset">
          <legend>{t('routing.offers')}</legend>
          <div className="admin-grid-2">
            {ROUTING_NUMBER_FIELDS.map((f) => (
              <Field key={f} label={t(`routing.${f}`)} hint={t(NUMBER_HINTS[f], { min: ROUTING_RANGES[f].min, max: ROUTING_RANGES[f].max })} messages={messages[f]}>
                {(a) => (
                  <input {...a} type="number" min={ROUTING_RANGES[f].min} max={ROUTING_RANGES[f].max} value={form.numbers[f]} onChange={(e) => setForm({ ...form, numbers: { ...form.numbers, [f]: e.target.value } })} />
                )}
              </Field>
            ))}
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={form.autoAccept} onChange={(e) => setForm({ ...form, autoAccept: e.target.checked })} />
            {t('routing.autoAccept')}
          </label>
        </fieldset>
        <fieldset className="admin-fieldset">
          <legend>{t('routing.billable')}</legend>
          <p className="admin-hint">{t('routing.billableHint')}</p>
          <div className="admin-checks">
            {AGENT_STATES.map((s) => (
              <label key={s} className="checkbox">
                <input
                  type="checkbox"
                  checked={form.billableStates.includes(s)}
                  onChange={(e) => setForm({ ...form, billableStates: e.target.checked ? [...form.billableStates, s] : form.billableStates.filter((x) => x !== s) })}
                />
                {t(`state.${s}`)}
              </label>
            ))}
          </div>
          {messagesUnder(messages, 'billableStates').length > 0 && <p className="admin-error">{messagesUnder(messages, 'billableStates').join(' ')}</p>}
        </fieldset>
        <ScheduleEditor form={form.schedule} messages={messages} onChange={(schedule) => setForm({ ...form, schedule })} />
        <HolidaysEditor form={form.holidays} messages={messages} onChange={(holidays) => setForm({ ...form, holidays })} />
        {isAdmin && <SaveBar busy={submit.busy} label={t('routing.save')} />}
      </fieldset>
    </form>
  );
}
