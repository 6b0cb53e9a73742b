import { useId, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import { acceptedLabel, checkFile, formatBytes } from './file-check.js';
import { portalApi, type CaseKey } from './portal-api.js';
import { usePortalText } from './portal-i18n.js';
import { documentStatusText } from './portal-messages.js';
import type { CaseDocument, CaseView, Requirement } from './portal.schema.js';

/** Each document with its status; an upload control for the missing and rejected ones. */
export function CaseDocumentsView({ caseKey, view, requirements, onCase }: { caseKey: CaseKey; view: CaseView; requirements: Requirement[]; onCase(view: CaseView): void }) {
  const { t } = usePortalText();
  return (
    <section aria-labelledby="pt-docs-heading">
      <h3 id="pt-docs-heading">{t('documentsHeading')}</h3>
      <ul className="pt-documents">
        {view.documents.map((doc) => (
          <DocumentItem key={doc.requirementId} caseKey={caseKey} doc={doc} requirement={requirements.find((r) => r.id === doc.requirementId)} onCase={onCase} />
        ))}
      </ul>
    </section>
  );
}

function DocumentItem({ caseKey, doc, requirement, onCase }: { caseKey: CaseKey; doc: CaseDocument; requirement: Requirement | undefined; onCase(view: CaseView): void }) {
  const { t, lang, errorText } = usePortalText();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canUpload = doc.status === 'missing' || doc.status === 'rejected';
  const accept = requirement?.accept ?? [];
  const types = acceptedLabel(accept);

  /** The client-side check: a courtesy before sending (the hub sniffs the bytes and decides). */
  const localProblem = (file: File): string | null => {
    if (!requirement) return null;
    const found = checkFile(file, requirement.accept, requirement.maxBytes);
    if (!found) return null;
    if (found.kind === 'type') return t('fileWrongType', { types });
    if (found.kind === 'size') return t('fileTooBig', { size: formatBytes(found.maxBytes, lang) });
    return t('fileEmpty');
  };

  /** The hub's own sentence (es / en); a bare status gets ours. */
  const serverProblem = (error: unknown): string => {
    if (error instanceof ApiError && !error.message.includes(' / ')) {
      if (error.status === 413) return t('fileTooBig', { size: formatBytes(requirement?.maxBytes ?? 0, lang) });
      if (error.status === 415) return t('fileWrongType', { types });
    }
    return errorText(error);
  };

  const upload = async () => {
    setDone(null);
    const file = input.current?.files?.[0];
    if (!file) {
      setProblem(t('chooseFileFirst'));
      return;
    }
    const local = localProblem(file);
    setProblem(local);
    if (local) return;
    setBusy(true);
    try {
      const updated = await portalApi.upload(caseKey, doc.requirementId, file);
      setDone(t('uploaded', { name: doc.name }));
      if (input.current) input.current.value = '';
      onCase(updated);
    } catch (error) {
      setProblem(serverProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`pt-document pt-doc-${doc.status}`}>
      <p className="pt-req-name">
        <strong>{doc.name}</strong> <span className={doc.required ? 'pt-tag pt-tag-required' : 'pt-tag'}>{doc.required ? t('required') : t('optional')}</span>
      </p>
      <p className={`pt-status pt-status-${doc.status}`}>{t('documentStatus', { status: documentStatusText(doc.status, lang) })}</p>
      {doc.status === 'rejected' && doc.reason && <p className="pt-reason">{t('rejectedReason', { reason: doc.reason })}</p>}
      {doc.fileName && <p className="pt-meta">{t('uploadedFile', { name: doc.fileName })}</p>}
      {canUpload && (
        <div className="pt-upload">
          <label htmlFor={`${id}-file`}>{t('fileLabel', { name: doc.name })}</label>
          <input
            ref={input}
            id={`${id}-file`}
            type="file"
            accept={accept.join(',') || undefined}
            aria-describedby={`${id}-limits ${id}-problem`}
            onChange={(e) => {
              setDone(null);
              const file = e.target.files?.[0];
              setProblem(file ? localProblem(file) : null);
            }}
          />
          {requirement && (
            <p id={`${id}-limits`} className="pt-meta">
              {t('accepted', { types, size: formatBytes(requirement.maxBytes, lang) })}
            </p>
          )}
          <button type="button" className="pt-primary" disabled={busy} onClick={() => void upload()}>
            {busy ? t('uploading') : t('uploadButton', { name: doc.name })}
          </button>
        </div>
      )}
      <div id={`${id}-problem`} role="alert">
        {problem && <p className="pt-error">{problem}</p>}
      </div>
      <div role="status">{done && doc.status === 'pending_review' && <p className="pt-success">{done}</p>}</div>
    </li>
  );
}
