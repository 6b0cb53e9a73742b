import type { DeliveryStatusView } from '@ventanilla/hub/realtime-contract';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import { Icon, type IconName } from './icons.view.js';

const ICON: Record<DeliveryStatusView, IconName> = { received: 'check', pending: 'clock', sent: 'check', delivered: 'checks', read: 'checks', failed: 'alert' };

export function DeliveryTicks({ status }: { status: DeliveryStatusView }) {
  const { t } = useI18n();
  const label = t(`delivery.${status}` as MessageKey);
  return (
    <span className={`ticks ticks-${status}`} title={label} data-status={status}>
      <Icon name={ICON[status]} size={14} label={label} />
    </span>
  );
}
