import type { AuthSession } from '../api/auth-session.js';
import { callJson } from '../api/hub-api.js';
import { downloadFromHub } from '../api/download.js';

/** Wire shapes of the staff API in hub/src/appointments/README.md («Staff REST API», «Procedures and review»). */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export type AppointmentStatus = 'booked' | 'confirmed' | 'cancelled' | 'attended' | 'no_show';
export const APPOINTMENT_STATUSES: readonly AppointmentStatus[] = ['booked', 'confirmed', 'cancelled', 'attended', 'no_show'];

export interface FreeSlotView {
  roomId: string;
  roomName: string;
  officeId: string;
  officeName: string;
  serviceId: string;
  serviceName: string;
  shiftId: string;
  startsAt: string;
  endsAt: string;
  localDate: string;
  localTime: string;
}

export interface CalendarDay {
  date: string;
  weekday: Weekday;
  holiday: string | null;
  freeCount: number;
  slots: FreeSlotView[];
}

export interface CalendarView {
  timeZone: string;
  days: CalendarDay[];
}

export interface CalendarDefinition {
  timeZone: string;
  offices: { id: string; name: string }[];
  rooms: { id: string; officeId: string; name: string; serviceIds: string[] }[];
  services: { id: string; name: string; slotMinutes: number }[];
}

export interface LoadedCalendar {
  version: number;
  calendar: CalendarDefinition;
  rules: { calendarDays: number; nearestSlots: number; minLeadHours: number; minCancelHours: number };
}

export interface OfficialId {
  kind: 'nss' | 'curp';
  value: string;
}

export interface AppointmentView {
  id: string;
  folio: string;
  status: AppointmentStatus;
  officeId: string;
  officeName: string;
  roomId: string;
  roomName: string;
  serviceId: string;
  serviceName: string;
  shiftId: string;
  localDate: string;
  localTime: string;
  startsAt: string;
  endsAt: string;
  officialIdKind: 'nss' | 'curp';
  officialId: string;
  birthDate: string | null;
  familyGroupId: string;
  channel: string;
  contactId: string | null;
  conversationId: string | null;
  caseId: string | null;
  externalRef: string | null;
  bookedBy: { kind: 'user' | 'bot' | 'portal'; userId: string | null; name: string | null };
  createdAt: string;
  confirmedAt: string | null;
  attendedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface AppointmentEvent {
  kind: string;
  actorKind: string;
  actorUserId: string | null;
  channel: string | null;
  details: unknown;
  occurredAt: string;
}

export interface BookInput {
  serviceId: string;
  roomId: string;
  startsAt: string;
  officialId: OfficialId;
  birthDate?: string;
  familyGroupId?: string;
}

export interface AppointmentFilter {
  date: string;
  officeId?: string;
  status?: AppointmentStatus | '';
  q?: string;
}

export interface ReviewQueueItem {
  caseId: string;
  caseFolio: string;
  procedureName: string;
  documentId: string;
  requirementName: string;
  fileName: string | null;
  uploadedAt: string;
  /** null: nobody eligible held the reviewer skill at upload time; a supervisor reassigns. */
  assignedTo: { id: string; name: string } | null;
}

/** Every stored version of every document (the staff case; the citizen sees the latest only). */
export interface DocumentVersion {
  id: string;
  requirementId: string;
  version: number;
  status: 'pending_review' | 'approved' | 'rejected';
  fileName: string;
  mimeType: string;
  size: number;
  reviewer: { id: string; name: string } | null;
  reason: string | null;
  uploadedAt: string;
  reviewedAt: string | null;
}

export type DocumentStatus = 'missing' | 'pending_review' | 'approved' | 'rejected';

export interface CaseDocument {
  requirementId: string;
  name: string;
  required: boolean;
  status: DocumentStatus;
  reason: string | null;
  fileName: string | null;
  uploadedAt: string | null;
  reviewedAt: string | null;
}

export interface ReviewCase {
  id: string;
  folio: string;
  procedureId: string;
  procedureName: string;
  status: 'documents_pending' | 'in_review' | 'changes_requested' | 'approved' | 'booked' | 'closed';
  createdAt: string;
  updatedAt: string;
  channel: string;
  citizen: { fullName: string; officialIdKind: 'nss' | 'curp'; officialId: string; birthDate: string; email: string | null; phone: string | null };
  documents: CaseDocument[];
  documentVersions: DocumentVersion[];
  appointment: { folio: string; status: string; startsAt: string; localDate: string; localTime: string; officeName: string; roomName: string; serviceName: string } | null;
  notices: { at: string; text: string }[];
}

export interface CampaignOption {
  id: string;
  name: string;
  timeZone: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const base = (campaignId: string) => `/appointments/campaigns/${encodeURIComponent(campaignId)}`;

export function appointmentsApi(session: AuthSession) {
  return {
    campaigns: () => callJson<{ items: CampaignOption[] }>(session, 'GET', '/campaigns'),
    calendar: (campaignId: string) => callJson<LoadedCalendar>(session, 'GET', `${base(campaignId)}/calendar`),
    calendarView: (campaignId: string, input: { serviceId: string; officeId?: string; from?: string; days?: number }) =>
      callJson<CalendarView>(session, 'GET', `${base(campaignId)}/calendar-view${query({ serviceId: input.serviceId, officeId: input.officeId, from: input.from, days: input.days ?? 30 })}`),
    book: (campaignId: string, input: BookInput) => callJson<{ appointment: AppointmentView }>(session, 'POST', `${base(campaignId)}/appointments`, input),
    list: (campaignId: string, filter: AppointmentFilter) =>
      callJson<{ appointments: AppointmentView[] }>(session, 'GET', `${base(campaignId)}/appointments${query({ date: filter.date, officeId: filter.officeId, status: filter.status, q: filter.q?.trim() })}`),
    detail: (campaignId: string, folio: string) => callJson<{ appointment: AppointmentView; events: AppointmentEvent[] }>(session, 'GET', `${base(campaignId)}/appointments/${encodeURIComponent(folio)}`),
    cancel: (campaignId: string, folio: string, reason: string) => callJson<{ appointment: AppointmentView }>(session, 'POST', `${base(campaignId)}/appointments/${encodeURIComponent(folio)}/cancel`, { reason }),
    setStatus: (campaignId: string, folio: string, to: 'confirmed' | 'attended' | 'no_show', note?: string) =>
      callJson<{ appointment: AppointmentView }>(session, 'POST', `${base(campaignId)}/appointments/${encodeURIComponent(folio)}/status`, note ? { to, note } : { to }),
    reviewQueue: (campaignId: string, mine: boolean) => callJson<{ items: ReviewQueueItem[] }>(session, 'GET', `${base(campaignId)}/review-queue${mine ? '?mine=true' : ''}`),
    reviewCase: (campaignId: string, caseId: string) => callJson<{ case: ReviewCase }>(session, 'GET', `${base(campaignId)}/cases/${encodeURIComponent(caseId)}`),
    review: (campaignId: string, caseId: string, documentId: string, decision: 'approved' | 'rejected', reason: string) =>
      callJson<{ case: ReviewCase }>(session, 'POST', `${base(campaignId)}/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(documentId)}/review`, reason.trim() ? { decision, reason: reason.trim() } : { decision }),
    /** The document behind the bearer token, saved under the hub's file name. */
    downloadDocument: (campaignId: string, caseId: string, documentId: string, fallbackName: string) =>
      downloadFromHub(session, `/api/v1${base(campaignId)}/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(documentId)}/file`, fallbackName),
  };
}
export type AppointmentsApi = ReturnType<typeof appointmentsApi>;
