import type { Role } from '../api/api-types.js';
import type { AgentStateName, AfterHoursMode, ChannelClass, StrategyName } from './admin-limits.js';

/**
 * Wire shapes of the administration endpoints (the hub's route files are the source):
 * campaigns/campaigns.routes.ts, router/http/routing-admin.routes.ts, auth/users.routes.ts and
 * inbox/{canned-responses,disposition-codes,kb-articles}.routes.ts.
 */

export type { Role };

export interface AdminCampaign {
  id: string;
  slug: string;
  name: string;
  folioPrefix: string;
  timeZone: string;
  settings: Record<string, unknown>;
}

export interface OpeningInterval {
  open: string;
  close: string;
}

export type DayKey = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface WeeklySchedule {
  timeZone: string;
  days: Record<DayKey, OpeningInterval[]>;
  holidays: 'closed' | OpeningInterval[];
  holidaysAfterOvernightShift?: OpeningInterval[];
}

export interface HolidayCalendar {
  base: 'lft74' | 'none';
  extra: { date: string; name: string }[];
  removed: string[];
  annual?: { monthDay: string; name: string }[];
}

export interface ChannelCounts {
  text: number;
  voice: number;
  email: number;
}

export interface CampaignRouting {
  capacity: ChannelCounts;
  afterContactWorkMaxSeconds: number;
  autoAccept: boolean;
  offerTimeoutSeconds: number;
  autoLogoutMinutes: number;
  stickyHours: number;
  billableStates: AgentStateName[];
  schedule: WeeklySchedule;
  holidays: HolidayCalendar;
}

export interface AdminChannel {
  id: string;
  campaignId: string;
  kind: string;
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  webhookPath: string;
  /** The secrets the kind needs, and which have a stored value (values are never read back). */
  secretNames: string[];
  secretsSet: string[];
  /** 'generated': the hub issues them (rotate); 'provided': the admin types them (e-mail passwords). */
  secretSource: 'generated' | 'provided';
  /** Only in the response that created the channel or rotated hub-generated secrets. */
  secrets?: Record<string, string>;
}

export interface Skill {
  id: string;
  campaignId: string;
  name: string;
}

export type OverflowTrigger = { afterSeconds: number } | { estimatedWaitOverSeconds: number };
export type OverflowAction = { moveToQueueId: string } | { relaxLevels: number };
export interface OverflowStep {
  trigger: OverflowTrigger;
  action: OverflowAction;
}

export interface AfterHours {
  mode: AfterHoursMode;
  message: { es: string; en?: string };
}

/** PUT /queues/:id and POST /campaigns/:id/queues. */
export interface QueueBody {
  name: string;
  priority: number;
  requiredSkills: { skillId: string; minLevel: number }[];
  strategy: StrategyName;
  maxWaitSeconds?: number;
  channelClasses: ChannelClass[];
  overflow: OverflowStep[];
  afterHours: AfterHours;
  tier: 1 | 2;
  isDefault: boolean;
}

export interface AdminQueue extends Omit<QueueBody, 'maxWaitSeconds' | 'strategy' | 'afterHours'> {
  id: string;
  campaignId: string;
  strategy: string;
  maxWaitSeconds: number | null;
  afterHours: { mode: string; message: { es: string; en?: string } };
  live: { waiting: number; offered: number; assigned: number };
}

export interface RoutingProblem {
  path: string;
  message: string;
  severity: 'error' | 'warning';
  queueId?: string;
}

export interface AdminUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  campaignIds: string[];
  locale: string;
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
  campaignIds: string[];
  locale: string;
}

export interface AgentSkill {
  skillId: string;
  name: string;
  level: number;
}

/** GET /campaigns/:id/agents: the live seat of each agent of the campaign. */
export interface LiveAgent {
  agentId: string;
  displayName: string;
  email: string;
  state: string;
  stateSince: string | null;
  stateReason: string | null;
  seatType: string;
  load: ChannelCounts;
  capacity: ChannelCounts;
  capacityOverride: Partial<Record<ChannelClass, number>>;
  skills: AgentSkill[];
}

export interface CapacityResult {
  agentId: string;
  state: string;
  stateSince: string;
  load: ChannelCounts;
  capacity: ChannelCounts;
  capacityOverride: Partial<Record<ChannelClass, number>>;
  warnings: RoutingProblem[];
}

export interface CannedResponse {
  id: string;
  campaignId: string;
  shortcut: string;
  title: string;
  body: string;
  updatedAt: string;
}

export interface DispositionCode {
  id: string;
  campaignId: string;
  parentId: string | null;
  code: string;
  label: string;
  active: boolean;
  position: number;
}

export interface KbHit {
  id: string;
  title: string;
  topic: string;
  tags: string[];
  snippet: string;
  published: boolean;
  updatedAt: string;
}

export interface KbArticle {
  id: string;
  campaignId: string;
  title: string;
  body: string;
  topic: string;
  tags: string[];
  published: boolean;
  updatedAt: string;
}

export interface KbInput {
  title: string;
  body: string;
  topic: string;
  tags: string[];
  published: boolean;
}

/** GET /channels/:id/whatsapp-web: the WhatsApp Web session's pairing state (admins). */
export interface WhatsAppWebPairingStatus {
  state: 'starting' | 'qr' | 'ready' | 'disconnected' | 'auth_failure';
  qrDataUrl?: string;
  phone?: string;
  since: string;
  reason?: string;
}
