import type { MailingSummary, MailingView, UploadReport } from '../../../../hub/src/mass-mail/mass-mail.schema.js';
import { apiErrorFrom } from '../../api/api-error.js';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';
import { downloadFromHub } from '../../api/download.js';

export type { MailingSummary, MailingView, UploadReport };

export interface MailingInput {
  name: string;
  channelId: string;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  qrText: string | null;
  ratePerMinute: number;
}

/** The mass-mail endpoints (hub/src/mass-mail/*.routes.ts), on the console's session. */
export class MassMailApi {
  constructor(private readonly session: AuthSession) {}

  private base(campaignId: string, rest = ''): string {
    return `/campaigns/${campaignId}/mass-mailings${rest}`;
  }

  list(campaignId: string): Promise<{ items: MailingView[] }> {
    return callJson(this.session, 'GET', this.base(campaignId));
  }
  get(campaignId: string, id: string): Promise<MailingView> {
    return callJson(this.session, 'GET', this.base(campaignId, `/${id}`));
  }
  create(campaignId: string, input: MailingInput): Promise<MailingView> {
    return callJson(this.session, 'POST', this.base(campaignId), input);
  }
  update(campaignId: string, id: string, input: Partial<MailingInput>): Promise<MailingView> {
    return callJson(this.session, 'PATCH', this.base(campaignId, `/${id}`), input);
  }
  schedule(campaignId: string, id: string, input: { scheduledAt?: string }): Promise<MailingView> {
    return callJson(this.session, 'POST', this.base(campaignId, `/${id}/schedule`), input);
  }
  action(campaignId: string, id: string, action: 'pause' | 'resume' | 'cancel'): Promise<MailingView> {
    return callJson(this.session, 'POST', this.base(campaignId, `/${id}/${action}`));
  }

  /** The file as it is: CSV or TXT, by its name when the browser gives no type. */
  async upload(campaignId: string, id: string, file: File, replace: boolean): Promise<UploadReport> {
    const type = file.type && file.type !== 'application/octet-stream' ? file.type : file.name.toLowerCase().endsWith('.txt') ? 'text/plain' : 'text/csv';
    const response = await this.session.request(`/api/v1${this.base(campaignId, `/${id}/recipients${replace ? '?replace=true' : ''}`)}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: file,
    });
    if (!response.ok) throw await apiErrorFrom(response);
    return (await response.json()) as UploadReport;
  }

  /** The bad-address list, saved by the browser under the hub's file name. */
  async downloadBadAddresses(campaignId: string, id: string): Promise<void> {
    await downloadFromHub(this.session, `/api/v1${this.base(campaignId, `/${id}/bad-addresses.csv`)}`, 'direcciones-erroneas.csv');
  }
}
