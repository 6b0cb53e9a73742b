import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import { Icon, type IconName } from './icons.view.js';

const ICONS: Record<string, IconName> = {
  api: 'plug',
  whatsapp: 'whatsapp',
  whatsapp_web: 'whatsapp',
  meta: 'chat',
  email: 'mail',
  sms: 'sms',
  webchat: 'chat',
  widget: 'chat',
  voice: 'phone',
  twilio_voice: 'phone',
  messenger: 'chat',
  instagram: 'camera',
  x: 'at',
};

const NAMES: Record<string, MessageKey> = {
  api: 'channel.api',
  whatsapp: 'channel.whatsapp',
  whatsapp_web: 'channel.whatsapp_web',
  meta: 'channel.meta',
  email: 'channel.email',
  sms: 'channel.sms',
  webchat: 'channel.webchat',
  widget: 'channel.webchat',
  voice: 'channel.voice',
  twilio_voice: 'channel.voice',
  messenger: 'channel.messenger',
  instagram: 'channel.instagram',
  x: 'channel.x',
};

export function useChannelName(): (kind: string) => string {
  const { t } = useI18n();
  return (kind) => {
    const key = NAMES[kind];
    return key ? t(key) : t('channel.other', { kind });
  };
}

/** The channel a conversation came through, as an icon with its name for assistive tech. */
export function ChannelIcon({ kind, size = 16 }: { kind: string; size?: number }) {
  const name = useChannelName();
  return (
    <span className={`channel-icon channel-${ICONS[kind] ? kind : 'other'}`} title={name(kind)}>
      <Icon name={ICONS[kind] ?? 'globe'} size={size} label={name(kind)} />
    </span>
  );
}
