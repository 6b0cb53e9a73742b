import { acceptedLabel, formatBytes } from './file-check.js';
import { usePortalText } from './portal-i18n.js';
import type { Procedure } from './portal.schema.js';

/** «Trámites»: the active procedures, each with its requirements. */
export function ProceduresView({ procedures, onStart }: { procedures: Procedure[]; onStart(procedureId: string): void }) {
  const { t, lang } = usePortalText();
  const institutions = new Set(procedures.map((p) => p.campaignName));
  return (
    <section aria-labelledby="pt-procedures-heading">
      <h2 id="pt-procedures-heading" tabIndex={-1}>
        {t('proceduresHeading')}
      </h2>
      <p>{t('proceduresIntro')}</p>
      {procedures.length === 0 && <p className="pt-empty">{t('noProcedures')}</p>}
      <ul className="pt-cards">
        {procedures.map((procedure) => (
          <li key={procedure.id} className="pt-card">
            <article aria-labelledby={`pt-proc-${procedure.id}`}>
              <h3 id={`pt-proc-${procedure.id}`}>{procedure.name}</h3>
              {institutions.size > 1 && <p className="pt-institution">{procedure.campaignName}</p>}
              {procedure.description && <p>{procedure.description}</p>}
              <h4>{t('requirementsHeading')}</h4>
              <ul className="pt-requirements">
                {procedure.requirements.map((r) => (
                  <li key={r.id}>
                    <p className="pt-req-name">
                      <strong>{r.name}</strong> <span className={r.required ? 'pt-tag pt-tag-required' : 'pt-tag'}>{r.required ? t('required') : t('optional')}</span>
                    </p>
                    {r.description && <p>{r.description}</p>}
                    <p className="pt-meta">{t('accepted', { types: acceptedLabel(r.accept), size: formatBytes(r.maxBytes, lang) })}</p>
                  </li>
                ))}
              </ul>
              <button type="button" className="pt-primary" onClick={() => onStart(procedure.id)}>
                {t('startThis', { name: procedure.name })}
              </button>
            </article>
          </li>
        ))}
      </ul>
    </section>
  );
}
