import { useMemo, useState } from 'react';
import type { AuthSession } from '../../api/auth-session.js';
import { Tabs } from '../../ui/tabs.view.js';
import { useAdmin } from '../admin-context.js';
import { LoadState, ReadOnlyNote, SectionHead, useResource } from '../admin-ui.js';
import { canEditBot, workingVersion } from './console-format.js';
import { useIcI18n } from './i18n/ic-i18n.js';
import { IntentConsoleApi, type BotModelDetail } from './intent-console-api.js';
import { MetricsView } from './metrics.view.js';
import { ModelEditorView } from './model-editor.view.js';
import { TestBoxView } from './test-box.view.js';
import { UnmatchedView } from './unmatched.view.js';
import { VersionsView } from './versions.view.js';
import './intent-console.css';

type Tab = 'versions' | 'intents' | 'test' | 'unmatched' | 'metrics';

/**
 * The intent console (issue 7 item 5) for the campaign's bot: versions (train, promote, roll
 * back, export/import), the intents editor, the test box, the unmatched inbox and metrics.
 * Trainers of the campaign and admins change it; supervisors read it.
 */
export function IntentConsoleSection({ campaignId, session }: { campaignId: string; session: AuthSession }) {
  const { user } = useAdmin();
  const { it } = useIcI18n();
  const api = useMemo(() => new IntentConsoleApi(session), [session]);
  const canEdit = canEditBot(user, campaignId);
  const [tab, setTab] = useState<Tab>('versions');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const models = useResource(`${campaignId}:bot-models`, () => api.models(campaignId).then((r) => r.items));
  const items = useMemo(() => models.data ?? [], [models.data]);
  const working = workingVersion(items);
  const selected = items.find((m) => m.id === selectedId) ?? working;
  // Intent names for the unmatched inbox: those of the version new phrases go into.
  const names = useResource(working ? `${working.id}:${working.intents}:${working.phrases}` : null, () => api.model(campaignId, working!.id).then((d) => d.model.intents.map((i) => i.name)));

  function changed(detail: BotModelDetail | null) {
    if (detail && detail.status === 'draft' && !items.some((m) => m.id === detail.id)) setSelectedId(detail.id);
    models.reload();
  }

  if (!models.data) {
    return (
      <div className="admin-section">
        <SectionHead title={it('ic.title')} />
        <LoadState loading={models.loading} error={models.error} onRetry={models.reload} />
      </div>
    );
  }

  return (
    <div className="admin-section intent-console">
      <SectionHead title={it('ic.title')} />
      {!canEdit && <ReadOnlyNote text={it('ic.readOnly')} />}
      <Tabs<Tab>
        label={it('ic.tabs')}
        selected={tab}
        onSelect={setTab}
        tabs={[
          {
            id: 'versions',
            icon: 'clock',
            label: it('ic.tab.versions'),
            content: (
              <VersionsView
                api={api}
                campaignId={campaignId}
                items={items}
                canEdit={canEdit}
                selectedId={selected?.id ?? null}
                onChanged={changed}
                onOpen={(id) => {
                  setSelectedId(id);
                  setTab('intents');
                }}
              />
            ),
          },
          {
            id: 'intents',
            icon: 'bot',
            label: it('ic.tab.intents'),
            content: selected ? <ModelEditorView key={selected.id} api={api} campaignId={campaignId} summary={selected} canEdit={canEdit} onSaved={changed} /> : <p className="empty small">{it('ic.noModels')}</p>,
          },
          { id: 'test', icon: 'chat', label: it('ic.tab.test'), content: <TestBoxView api={api} campaignId={campaignId} items={items} preferredId={selected?.id ?? null} canEdit={canEdit} /> },
          {
            id: 'unmatched',
            icon: 'alert',
            label: it('ic.tab.unmatched'),
            content: <UnmatchedView api={api} campaignId={campaignId} intents={names.data ?? []} canEdit={canEdit} onDraftChanged={() => changed(null)} />,
          },
          { id: 'metrics', icon: 'checks', label: it('ic.tab.metrics'), content: <MetricsView api={api} campaignId={campaignId} /> },
        ]}
      />
    </div>
  );
}
