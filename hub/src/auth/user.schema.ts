import { z } from 'zod';
import { ROLES } from '../db/schema.js';

/** The user as the session endpoints show it to the user themself. */
export const sessionUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  campaignIds: z.array(z.uuid()),
  locale: z.string(),
});

/** The user as the admin endpoints show it (never the password hash). */
export const userSchema = sessionUserSchema.extend({
  disabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
