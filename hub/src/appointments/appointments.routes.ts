import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HubContext } from '../runtime/context.js';
import { appointmentStaffRoutes } from './http/appointment-staff.routes.js';
import { procedureStaffRoutes } from './procedures/procedure-staff.routes.js';
import { reminderRoutes } from './reminders/reminder.routes.js';
import { externalSchedulingRoutes } from './external/external.routes.js';
import { appointmentReportRoutes } from './reports/appointment-report.routes.js';
import { portalRoutes } from './procedures/portal.routes.js';

/**
 * Appointments (issue 11), staff side under /api/v1 (bearer session; each route checks the
 * caller's role and campaign): calendar, booking, the agent's 30-day view, procedures and document
 * review, reminders and confirmation campaigns, external calendars, reports.
 */
export function appointmentRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(appointmentStaffRoutes(ctx));
    await app.register(procedureStaffRoutes(ctx));
    await app.register(reminderRoutes(ctx));
    await app.register(externalSchedulingRoutes(ctx));
    await app.register(appointmentReportRoutes(ctx));
  };
}

/** The citizen's portal API under /portal/v1: public, rate-limited, each case proven by its folio and a secret. */
export function appointmentPortalRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return portalRoutes(ctx);
}
