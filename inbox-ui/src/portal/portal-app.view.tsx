import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Lang } from '../i18n/lang.js';
import { MyCaseView } from './my-case.view.js';
import { portalApi, type CaseKey } from './portal-api.js';
import { portalText, PortalTextContext, storeLang, storedLang } from './portal-i18n.js';
import { casePath, folioFromPath, type PortalView } from './portal-path.js';
import type { Procedure } from './portal.schema.js';
import { ProceduresView } from './procedures.view.js';
import { StartCaseView } from './start-case.view.js';

const CASE_KEY = 'ventanilla.portal.case';

/**
 * The open case lives in this tab only (sessionStorage): a reload keeps it, closing the tab forgets
 * the NSS/CURP — a shared computer at a library or a kiosk.
 */
function rememberedCase(folio: string | null): CaseKey | null {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(CASE_KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return null;
    const savedFolio: unknown = Reflect.get(saved, 'folio');
    const officialId: unknown = Reflect.get(saved, 'officialId');
    if (typeof savedFolio !== 'string' || typeof officialId !== 'string') return null;
    return folio === null || folio === savedFolio ? { folio: savedFolio, officialId } : null;
  } catch {
    return null;
  }
}

function remember(key: CaseKey | null): void {
  try {
    if (key) sessionStorage.setItem(CASE_KEY, JSON.stringify(key));
    else sessionStorage.removeItem(CASE_KEY);
  } catch {
    // Storage refused: the case stays open until the page is reloaded.
  }
}

function viewFromLocation(): { view: PortalView; linkFolio: string | null } {
  const linkFolio = folioFromPath(window.location.pathname);
  return { view: linkFolio ? 'case' : 'procedures', linkFolio };
}

/** The citizens' portal: procedures and their requirements, start a case, follow it, book. */
export function PortalApp() {
  const [lang, setLang] = useState<Lang>(storedLang);
  const text = useMemo(() => portalText(lang), [lang]);
  const { t } = text;
  const [{ view, linkFolio }, setPlace] = useState(viewFromLocation);
  const [caseKey, setCaseKey] = useState<CaseKey | null>(() => rememberedCase(folioFromPath(window.location.pathname)));
  const [procedures, setProcedures] = useState<Procedure[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [procedureId, setProcedureId] = useState('');
  const main = useRef<HTMLElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t('portalTitle')}${procedures?.[0] ? ` · ${procedures[0].campaignName}` : ''}`;
  }, [lang, t, procedures]);

  const loadProcedures = useCallback(async () => {
    setLoadError(null);
    try {
      setProcedures(await portalApi.procedures());
    } catch (error) {
      setLoadError(text.errorText(error));
    }
  }, [text]);

  useEffect(() => {
    void loadProcedures();
  }, [loadProcedures]);

  useEffect(() => {
    const back = () => {
      const place = viewFromLocation();
      setPlace(place);
      setCaseKey(rememberedCase(place.linkFolio));
    };
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
  }, []);

  // A section change moves the keyboard focus to its heading (screen readers announce it); not on load.
  useEffect(() => {
    if (!moved.current) return;
    main.current?.querySelector<HTMLElement>('h2')?.focus();
  }, [view, caseKey]);

  const go = (next: PortalView, key: CaseKey | null = caseKey) => {
    moved.current = true;
    const path = next === 'case' && key ? casePath(key.folio) : '/portal';
    if (window.location.pathname !== path) window.history.pushState(null, '', path);
    setPlace({ view: next, linkFolio: next === 'case' ? (key?.folio ?? null) : null });
  };

  const openCase = (key: CaseKey) => {
    remember(key);
    setCaseKey(key);
    go('case', key);
  };

  const closeCase = () => {
    remember(null);
    setCaseKey(null);
    moved.current = true;
    if (window.location.pathname !== '/portal') window.history.pushState(null, '', '/portal');
    setPlace({ view: 'case', linkFolio: null });
  };

  const switchLang = () => {
    const next: Lang = lang === 'es-MX' ? 'en' : 'es-MX';
    storeLang(next);
    setLang(next);
  };

  const institutions = [...new Set((procedures ?? []).map((p) => p.campaignName))];
  const tabs: { id: PortalView; label: string }[] = [
    { id: 'procedures', label: t('navProcedures') },
    { id: 'start', label: t('navStart') },
    { id: 'case', label: t('navCase') },
  ];

  return (
    <PortalTextContext.Provider value={text}>
      <a href="#pt-main" className="pt-skip">
        {t('skipToContent')}
      </a>
      <header className="pt-header">
        <div className="pt-header-row">
          <div>
            <p className="pt-institution-name">{institutions.length === 1 ? institutions[0] : t('portalTitle')}</p>
            <h1>{t('portalTitle')}</h1>
          </div>
          <button type="button" className="pt-lang" lang={lang === 'es-MX' ? 'en' : 'es-MX'} aria-label={t('languageSwitchLabel')} onClick={switchLang}>
            {t('languageSwitch')}
          </button>
        </div>
        <nav aria-label={t('navLabel')} className="pt-nav">
          {tabs.map((tab) => (
            <button key={tab.id} type="button" aria-current={view === tab.id ? 'page' : undefined} onClick={() => go(tab.id)}>
              {tab.label}
            </button>
          ))}
        </nav>
      </header>
      <main id="pt-main" ref={main} tabIndex={-1}>
        {loadError && (
          <div role="alert" className="pt-error-box">
            <p className="pt-error">{loadError}</p>
            <button type="button" className="pt-secondary" onClick={() => void loadProcedures()}>
              {t('retry')}
            </button>
          </div>
        )}
        {procedures === null && !loadError && <p role="status">{t('loading')}</p>}
        {procedures !== null && view === 'procedures' && (
          <ProceduresView
            procedures={procedures}
            onStart={(id) => {
              setProcedureId(id);
              go('start');
            }}
          />
        )}
        {procedures !== null && view === 'start' && <StartCaseView procedures={procedures} procedureId={procedureId} onProcedure={setProcedureId} onOpenCase={openCase} />}
        {procedures !== null && view === 'case' && <MyCaseView caseKey={caseKey} linkFolio={linkFolio} procedures={procedures} onOpen={openCase} onClose={closeCase} />}
      </main>
    </PortalTextContext.Provider>
  );
}
