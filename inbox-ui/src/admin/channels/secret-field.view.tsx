import { useAdmin } from '../admin-context.js';
import { Field } from '../admin-ui.js';
import { SECRET_MAX } from './provided-secrets.js';

/**
 * A provider credential the admin pastes from the provider's console. Write-only: the hub keeps
 * it and never returns it, so the field says when one is stored; empty keeps the stored one.
 */
export function SecretField({ label, hint, value, stored, messages, onChange }: { label: string; hint?: string; value: string; stored: boolean; messages: string[]; onChange(value: string): void }) {
  const { t } = useAdmin();
  const storage = stored ? t('msgChannel.secretStoredHint') : t('msgChannel.secretHint');
  return (
    <Field label={label} messages={messages} hint={hint ? `${hint} ${storage}` : storage}>
      {(a) => (
        <input
          {...a}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={value}
          maxLength={SECRET_MAX}
          placeholder={stored ? t('msgChannel.secretStored') : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
