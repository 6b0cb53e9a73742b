import { useI18n } from '../../i18n/i18n.js';
import { TAKEOVER_REASONS } from './supervision-api.js';
import { supervisionText } from './supervision-text.js';
import type { SupervisionHandle } from './use-supervision.js';
import './supervision.css';

/** `complaint: Queja por demora` (as stored) → `Queja del ciudadano: Queja por demora`. */
function readableReason(reason: string, lang: Parameters<typeof supervisionText>[0]): string {
  const [code, ...rest] = reason.split(': ');
  const known = TAKEOVER_REASONS.find((r) => r === code);
  if (!known) return reason;
  return [supervisionText(lang, `reason.${known}`), ...rest].join(': ');
}

/** The agent is told why a session left their tabs (takeover), until they dismiss it. */
export function SupervisionNotices({ supervision }: { supervision: SupervisionHandle }) {
  const { lang } = useI18n();
  if (supervision.notices.length === 0) return null;
  return (
    <div role="alert">
      {supervision.notices.map((n) => (
        <div key={n.id} className="sup-notice">
          <p>{supervisionText(lang, 'takenOver', { name: n.supervisorName, folio: n.folio, reason: readableReason(n.reason, lang) })}</p>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => supervision.dismiss(n.id)}>
            {supervisionText(lang, 'dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
