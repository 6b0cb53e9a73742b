import { useId, useMemo, useRef, useState } from 'react';
import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog, Field, FieldMessagesView, ListButton, LoadState, ReadOnlyNote, useResource } from '../admin-ui.js';
import { mergeMessages, serverFeedback, type FieldMessages } from '../form-problems.js';
import { EntitiesEditor } from './entities.editor.js';
import { useIcI18n, type IcTranslate } from './i18n/ic-i18n.js';
import type { BotModelDetail, BotModelSummary, IntentConsoleApi } from './intent-console-api.js';
import { IntentEditor } from './intent.editor.js';
import { emptyIntent, filterIntents, flowIds, isDirty, toModelForm, toModelInput, type ModelForm } from './intent-form.js';
import { clientMessages, describeProblemPath, indexNamedPaths, indicesWithProblems, messagesWithin, normalizeMessages, validateModelForm } from './model-problems.js';

/**
 * The selected version's intents, entities, settings and flows. Drafts are edited and saved
 * whole (PUT; the hub clears the training); production and archived versions are read-only.
 */
export function ModelEditorView({ api, campaignId, summary, canEdit, onSaved }: { api: IntentConsoleApi; campaignId: string; summary: BotModelSummary; canEdit: boolean; onSaved(detail: BotModelDetail): void }) {
  const resource = useResource(`${summary.id}:${summary.status}:${summary.intents}:${summary.phrases}`, () => api.model(campaignId, summary.id));
  if (!resource.data) return <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />;
  const detail = resource.data;
  return (
    <ModelEditorForm
      key={detail.id}
      api={api}
      campaignId={campaignId}
      detail={detail}
      editable={canEdit && detail.status === 'draft'}
      canEdit={canEdit}
      onSaved={(saved) => {
        resource.setData(() => saved);
        onSaved(saved);
      }}
    />
  );
}

function ModelEditorForm({ api, campaignId, detail, editable, canEdit, onSaved }: { api: IntentConsoleApi; campaignId: string; detail: BotModelDetail; editable: boolean; canEdit: boolean; onSaved(detail: BotModelDetail): void }) {
  const { announce, t } = useAdmin();
  const { it, lang } = useIcI18n();
  const titleId = useId();
  const bannerRef = useRef<HTMLDivElement>(null);
  const [saved, setSaved] = useState<ModelForm>(() => toModelForm(detail.model));
  const [form, setForm] = useState<ModelForm>(saved);
  const [selectedKey, setSelectedKey] = useState<string | null>(form.intents[0]?.key ?? null);
  const [search, setSearch] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [server, setServer] = useState<{ general: string; errors: FieldMessages } | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<number | null>(null);

  const client = useMemo(() => (attempted ? clientMessages(validateModelForm(form), it) : {}), [attempted, form, it]);
  const messages = mergeMessages(client, server?.errors ?? {});
  const dirty = isDirty(form, saved);
  const flows = flowIds(form);
  const visible = filterIntents(form.intents, search);
  const withProblems = indicesWithProblems(messages, 'intents');
  const selectedIndex = form.intents.findIndex((i) => i.key === selectedKey);
  const selected = selectedIndex >= 0 ? form.intents[selectedIndex] : undefined;
  const bannerLines = Object.entries(messages).flatMap(([path, list]) => list.map((m) => `${describeProblemPath(path, form, it)}: ${m}`));

  function change(next: ModelForm, structural = false) {
    setForm(next);
    // The hub's messages name intents by position: after adding or removing one they would point at the wrong one.
    if (structural && server) setServer(null);
  }

  async function save() {
    setAttempted(true);
    setServer(null);
    if (validateModelForm(form).length > 0) {
      setTimeout(() => bannerRef.current?.focus(), 0);
      return;
    }
    setBusy(true);
    try {
      const result = await api.saveDraft(campaignId, detail.id, { model: toModelInput(form) });
      const next = toModelForm(result.model);
      // Keep the selection on the same intent by name (keys are new after the round trip).
      const name = selected?.name.trim();
      setSaved(next);
      setForm(next);
      setSelectedKey(next.intents.find((i) => i.name === name)?.key ?? next.intents[0]?.key ?? null);
      setAttempted(false);
      announce(it('ed.saved'));
      onSaved(result);
    } catch (e) {
      const feedback = serverFeedback(e, lang, t('admin.networkError'));
      setServer({ general: feedback.general, errors: indexNamedPaths(normalizeMessages(feedback.errors), form) });
      setTimeout(() => bannerRef.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="admin-form stack ic-editor"
      noValidate
      aria-labelledby={titleId}
      onSubmit={(e) => {
        e.preventDefault();
        if (editable) void save();
      }}
    >
      <div className="ic-toolbar ic-sticky">
        <h3 id={titleId} className="admin-editor-title">
          {it('ed.editing', { version: detail.version, status: it(`ic.status.${detail.status}`) })}
        </h3>
        {dirty && (
          <span className="chip ic-unsaved" role="status">
            <Icon name="alert" size={14} /> {it('ed.unsaved')}
          </span>
        )}
        <span className="spacer" />
        {editable && (
          <>
            <button type="button" className="btn btn-ghost btn-small" disabled={!dirty || busy} onClick={() => change(saved, true)}>
              {it('ed.discard')}
            </button>
            <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
              {busy ? it('ed.saving') : it('ed.save')}
            </button>
          </>
        )}
      </div>
      {!canEdit ? <ReadOnlyNote text={it('ic.readOnly')} /> : !editable && <ReadOnlyNote text={it('ed.readOnlyVersion', { status: it(`ic.status.${detail.status}`) })} />}
      {(server || bannerLines.length > 0) && (
        <div ref={bannerRef} className="banner banner-error form-banner" role="alert" tabIndex={-1}>
          <p className="admin-banner-title">
            <Icon name="alert" /> {it('ed.errorsTitle')}
          </p>
          <ul className="admin-banner-list">
            {bannerLines.length === 0 && server && <li>{server.general}</li>}
            {bannerLines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset className="admin-fieldset">
        <legend>{it('ed.settings')}</legend>
        <div className="ic-two">
          <Field label={it('ed.threshold')} hint={it('ed.thresholdHint')} messages={messages['threshold'] ?? []}>
            {(a) => <input {...a} inputMode="decimal" value={form.threshold} readOnly={!editable} onChange={(e) => change({ ...form, threshold: e.target.value })} />}
          </Field>
          <Field label={it('ed.maxFallbacks')} messages={messages['maxFallbacks'] ?? []}>
            {(a) => <input {...a} inputMode="numeric" value={form.maxFallbacks} readOnly={!editable} onChange={(e) => change({ ...form, maxFallbacks: e.target.value })} />}
          </Field>
        </div>
      </fieldset>
      <div className="admin-split ic-split">
        <div className="admin-list-pane stack" role="region" aria-label={it('ed.intents', { count: form.intents.length })} tabIndex={0}>
          <p className="ic-subtitle">{it('ed.intents', { count: form.intents.length })}</p>
          <label className="search">
            <span className="sr-only">{it('ed.search')}</span>
            <input type="search" value={search} placeholder={it('ed.search')} onChange={(e) => setSearch(e.target.value)} />
          </label>
          {visible.length === 0 && <p className="empty small">{it('ed.noMatch')}</p>}
          <ul className="admin-list">
            {visible.map((intent) => {
              const index = form.intents.indexOf(intent);
              return (
                <li key={intent.key}>
                  <ListButton selected={intent.key === selectedKey} onClick={() => setSelectedKey(intent.key)}>
                    <span className="ic-intent-name">{intent.name || it('ed.newIntentName')}</span>
                    <span className="small muted">
                      {it('ed.counts', { es: intent.phrases.es.length, en: intent.phrases.en.length })}
                      {intent.handoff ? ' · ↪' : ''}
                    </span>
                    {withProblems.has(index) && (
                      <span className="ic-problem small">
                        <Icon name="alert" size={12} /> {it('ed.hasProblems')}
                      </span>
                    )}
                  </ListButton>
                </li>
              );
            })}
          </ul>
          {editable && (
            <button
              type="button"
              className="btn btn-secondary btn-small"
              onClick={() => {
                const intent = emptyIntent();
                change({ ...form, intents: [...form.intents, intent] }, true);
                setSelectedKey(intent.key);
                setSearch('');
              }}
            >
              + {it('ed.addIntent')}
            </button>
          )}
        </div>
        <div className="admin-editor-pane">
          {selected ? (
            <IntentEditor
              key={selected.key}
              intent={selected}
              index={selectedIndex}
              flows={flows}
              messages={messages}
              editable={editable}
              it={it}
              onChange={(next) => change({ ...form, intents: form.intents.map((i) => (i.key === next.key ? next : i)) })}
              onDelete={() => setDeleting(selectedIndex)}
            />
          ) : (
            <p className="empty small">{it('ed.pickIntent')}</p>
          )}
        </div>
      </div>
      <EntitiesEditor entities={form.entities} messages={messages} editable={editable} it={it} onChange={(entities, structural) => change({ ...form, entities }, structural)} />
      <FlowsField form={form} messages={messages} editable={editable} it={it} onChange={(flowsText) => change({ ...form, flowsText })} />
      {deleting !== null && form.intents[deleting] && (
        <ConfirmDialog
          title={it('ed.deleteIntentTitle')}
          message={it('ed.deleteIntentConfirm', { name: form.intents[deleting].name || it('ed.newIntentName') })}
          confirmLabel={it('ed.deleteIntent')}
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            const intents = form.intents.filter((_, k) => k !== deleting);
            change({ ...form, intents }, true);
            setSelectedKey(intents[Math.min(deleting, intents.length - 1)]?.key ?? null);
          }}
        />
      )}
    </form>
  );
}

function FlowsField({ form, messages, editable, it, onChange }: { form: ModelForm; messages: FieldMessages; editable: boolean; it: IcTranslate; onChange(text: string): void }) {
  const nested = messagesWithin(messages, 'flows').filter((m) => m.sub !== '');
  return (
    <fieldset className="admin-fieldset">
      <legend>{it('ed.flows')}</legend>
      <Field label={it('ed.flows')} hint={it('ed.flowsHint')} messages={messages['flows'] ?? []}>
        {(a) => <textarea {...a} className="ic-code" rows={12} spellCheck={false} value={form.flowsText} readOnly={!editable} onChange={(e) => onChange(e.target.value)} />}
      </Field>
      <FieldMessagesView messages={nested.map((m) => `${m.sub}: ${m.message}`)} />
    </fieldset>
  );
}
