import type { WidgetSessionState } from '@ventanilla/hub/widget-contract';
import type { Translate } from './widget-i18n.js';

/**
 * The one line under the header that says where the visitor stands: place in line and estimated
 * wait while waiting, who is attending once an agent joined, or that it ended. A screen reader
 * hears it (role="status") only when it changes, so it is rebuilt, not appended to.
 */
export function statusLine(conversation: WidgetSessionState['conversation'], t: Translate): string {
  if (!conversation) return '';
  if (conversation.status === 'ended') return t('status.ended');
  if (conversation.status === 'with_agent') return conversation.agent ? t('status.agent', { name: conversation.agent.displayName }) : '';
  const parts: string[] = [];
  const queue = conversation.queue;
  if (queue?.position != null) parts.push(t('queue.position', { position: queue.position }));
  if (queue?.estimatedWaitSeconds != null) parts.push(queue.estimatedWaitSeconds < 60 ? t('queue.etaSoon') : t('queue.eta', { minutes: Math.ceil(queue.estimatedWaitSeconds / 60) }));
  return parts.length ? parts.join(' · ') : t('queue.waiting');
}
