import type { KpiResult } from '../../../../hub/src/kpi/formulas/kpi-result.js';
import type { ReportColumn, ReportNote } from '../../../../hub/src/reports/report-table.js';
import type { ReportTokenView } from '../../../../hub/src/reports/report-tokens.js';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';
import { downloadFromHub } from '../../api/download.js';

export type { KpiResult, ReportColumn, ReportNote, ReportTokenView };
export type ReportInterval = 'half_hour' | 'day' | 'week' | 'month';
export type ReportCellValue = string | number | boolean | null | KpiResult;

/** GET /api/v1/reports (hub/src/reports/reports.routes.ts). */
export interface ReportCatalogueItem {
  id: string;
  name_es: string;
  name_en: string;
  description_es: string;
  description_en: string;
  tables: { id: string; title_es: string; title_en: string }[];
  parameters: { name: string; required: boolean; values?: string[] }[];
  maxDays: Record<ReportInterval, number>;
}

export interface ReportTableJson {
  id: string;
  title_es: string;
  title_en: string;
  columns: ReportColumn[];
  rows: Record<string, ReportCellValue>[];
  notes: ReportNote[];
}

export interface ReportJson {
  report: { id: string; name_es: string; name_en: string };
  campaignId: string;
  campaignName: string;
  timeZone: string;
  from: string;
  to: string;
  interval: string | null;
  generatedAt: string;
  tables: ReportTableJson[];
}

/** The report and report-token endpoints, on the console's session. */
export class ReportsApi {
  constructor(private readonly session: AuthSession) {}

  catalogue(): Promise<{ items: ReportCatalogueItem[] }> {
    return callJson(this.session, 'GET', '/reports');
  }
  run(reportId: string, query: URLSearchParams): Promise<ReportJson> {
    return callJson(this.session, 'GET', `/reports/${encodeURIComponent(reportId)}?${query.toString()}`);
  }
  /** A CSV or XLSX download, saved by the browser under the hub's file name (the hub audits it). */
  async download(reportId: string, query: URLSearchParams): Promise<string> {
    return await downloadFromHub(this.session, `/api/v1/reports/${encodeURIComponent(reportId)}?${query.toString()}`, `${reportId}.${query.get('format') ?? 'csv'}`);
  }
  tokens(campaignId: string): Promise<{ items: ReportTokenView[] }> {
    return callJson(this.session, 'GET', `/report-tokens?campaignId=${encodeURIComponent(campaignId)}`);
  }
  createToken(body: { campaignId: string; name: string; expiresAt?: string }): Promise<{ token: string; item: ReportTokenView }> {
    return callJson(this.session, 'POST', '/report-tokens', body);
  }
  revokeToken(id: string): Promise<{ item: ReportTokenView }> {
    return callJson(this.session, 'POST', `/report-tokens/${encodeURIComponent(id)}/revoke`);
  }
}
