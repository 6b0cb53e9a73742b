import { createContext, useContext } from 'react';
import type { SessionUser } from '../api/api-types.js';
import type { Lang } from '../i18n/lang.js';
import type { AdminApi } from './admin-api.js';
import type { AdminCampaign } from './admin-types.js';
import type { AdminTranslate } from './i18n/admin-i18n.js';

/** What every section of the console shares: the client, who is signed in, the campaign chosen. */
export interface AdminContextValue {
  api: AdminApi;
  user: SessionUser;
  lang: Lang;
  t: AdminTranslate;
  campaigns: AdminCampaign[];
  campaign: AdminCampaign | null;
  selectCampaign(id: string): void;
  /** A campaign created or changed here: added to the selector (and chosen when new). */
  upsertCampaign(campaign: AdminCampaign): void;
  /** A save result, shown briefly and read by screen readers (aria-live). */
  announce(text: string, tone?: 'ok' | 'warn'): void;
  isAdmin: boolean;
  /** Admins and supervisors (queues, agents' skills and capacity, canned responses, codes, KB). */
  isManager: boolean;
}

export const AdminContext = createContext<AdminContextValue | null>(null);

export function useAdmin(): AdminContextValue {
  const value = useContext(AdminContext);
  if (!value) throw new Error('useAdmin() outside <AdminConsole>');
  return value;
}
