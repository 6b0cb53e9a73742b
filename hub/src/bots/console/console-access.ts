import { authorize, type Principal } from '../../auth/principal.js';
import type { Role } from '../../db/schema.js';

/**
 * Who may use the intent console (issue 7 item 5): trainers and admins change the bot, a
 * campaign's supervisors may look (quality follows the bot's metrics) but not change it.
 */
const READERS: readonly Role[] = ['admin', 'trainer', 'supervisor'];
const EDITORS: readonly Role[] = ['admin', 'trainer'];

export function authorizeRead(principal: Principal, campaignId: string): void {
  authorize(principal, READERS, campaignId);
}

export function authorizeEdit(principal: Principal, campaignId: string): void {
  authorize(principal, EDITORS, campaignId);
}
