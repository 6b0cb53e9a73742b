import type { VoiceBlastStatus } from '../../db/schema.js';

/**
 * The life of a blast: draft → scheduled → running → completed, with pause / resume and cancel on
 * the way. `running` and `completed` are entered by the dialer, never by a request.
 */
export type BlastAction = 'schedule' | 'pause' | 'resume' | 'cancel';

export function nextBlastStatus(action: BlastAction, blast: { status: VoiceBlastStatus; started_at: Date | null }): VoiceBlastStatus | null {
  const { status } = blast;
  switch (action) {
    case 'schedule':
      return status === 'draft' ? 'scheduled' : null;
    case 'pause':
      return status === 'scheduled' || status === 'running' ? 'paused' : null;
    case 'resume':
      // Paused before its start: waits for its time again; paused mid-way: goes on.
      return status === 'paused' ? (blast.started_at ? 'running' : 'scheduled') : null;
    case 'cancel':
      return status === 'completed' || status === 'cancelled' ? null : 'cancelled';
  }
}

export const ACTION_WORDS: Record<BlastAction, string> = { schedule: 'programar', pause: 'pausar', resume: 'reanudar', cancel: 'cancelar' };
