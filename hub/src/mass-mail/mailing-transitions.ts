import type { MassMailingStatus } from '../db/schema.js';

/**
 * The life of a mass mailing: draft → scheduled → sending → completed, with pause / resume and
 * cancel on the way. `sending` and `completed` are entered by the dispatcher, never by a request.
 */
export type MailingAction = 'schedule' | 'pause' | 'resume' | 'cancel';

/** The status an action leads to from `status`, or null when it is not allowed there. */
export function nextStatus(action: MailingAction, mailing: { status: MassMailingStatus; started_at: Date | null }): MassMailingStatus | null {
  const { status } = mailing;
  switch (action) {
    case 'schedule':
      return status === 'draft' ? 'scheduled' : null;
    case 'pause':
      return status === 'scheduled' || status === 'sending' ? 'paused' : null;
    case 'resume':
      // A mailing paused before its start waits for its time again; one paused mid-way goes on.
      return status === 'paused' ? (mailing.started_at ? 'sending' : 'scheduled') : null;
    case 'cancel':
      return status === 'completed' || status === 'cancelled' ? null : 'cancelled';
  }
}

/** Content can change only before the list is being sent; the pace can change until the end. */
export function editableFields(status: MassMailingStatus): 'all' | 'rate' | 'none' {
  if (status === 'draft') return 'all';
  return status === 'scheduled' || status === 'sending' || status === 'paused' ? 'rate' : 'none';
}
