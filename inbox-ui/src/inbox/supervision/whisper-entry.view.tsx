import type { SupervisionWhisperView } from '@ventanilla/hub/realtime-contract';
import { formatClock } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { supervisionText } from './supervision-text.js';
import './supervision.css';

/** A supervisor's whisper in the agent's timeline: only staff ever see it. */
export function WhisperEntry({ whisper }: { whisper: SupervisionWhisperView }) {
  const { lang } = useI18n();
  return (
    <article className="sup-whisper" data-whisper-id={whisper.id} aria-label={supervisionText(lang, 'whisperFrom', { name: whisper.supervisorName })}>
      <div className="sup-whisper-head">
        <span>{supervisionText(lang, 'whisperFrom', { name: whisper.supervisorName })}</span>
        <span>
          {supervisionText(lang, 'whisperHint')} · <time dateTime={whisper.createdAt}>{formatClock(whisper.createdAt, lang)}</time>
        </span>
      </div>
      <p>{whisper.text}</p>
    </article>
  );
}

/** Timeline items and whispers in one time order (whispers after what happened at the same instant). */
export function withWhispers<T extends { at: string }>(items: T[], whispers: readonly SupervisionWhisperView[] | undefined): ({ kind: 'item'; item: T } | { kind: 'whisper'; whisper: SupervisionWhisperView })[] {
  const out: ({ kind: 'item'; item: T } | { kind: 'whisper'; whisper: SupervisionWhisperView })[] = items.map((item) => ({ kind: 'item' as const, item }));
  for (const whisper of sortedWhispers(whispers)) {
    const at = Date.parse(whisper.createdAt);
    let i = out.length;
    while (i > 0) {
      const prev = out[i - 1];
      const prevAt = prev ? Date.parse(prev.kind === 'item' ? prev.item.at : prev.whisper.createdAt) : 0;
      if (prevAt <= at) break;
      i -= 1;
    }
    out.splice(i, 0, { kind: 'whisper', whisper });
  }
  return out;
}

function sortedWhispers(whispers: readonly SupervisionWhisperView[] | undefined): SupervisionWhisperView[] {
  return [...(whispers ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
