import { z } from 'zod';
import type { CaptchaSolution, LeaveMessageRequest, PrechatRequest, SendTextRequest } from './widget.contract.js';

/**
 * Bodies of the /widget/v1 routes as a browser may send them (CONVENTIONS 9). What depends on
 * the channel (required fields, topics, text length) is checked by the use cases.
 */

export const captchaSolutionSchema = z.object({
  challenge: z.string().max(200),
  nonce: z.string().max(40),
}) satisfies z.ZodType<CaptchaSolution, unknown>;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const prechatRequestSchema = z.object({
  name: optionalText(200),
  email: optionalText(254),
  phone: optionalText(32),
  topic: optionalText(60),
  captcha: captchaSolutionSchema.optional(),
  visitorToken: z.string().max(2000).optional(),
}) satisfies z.ZodType<PrechatRequest, unknown>;
export type ParsedPrechatRequest = z.output<typeof prechatRequestSchema>;

export const leaveMessageRequestSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().min(3).max(254),
  phone: optionalText(32),
  text: z.string().trim().min(1).max(4000),
  captcha: captchaSolutionSchema.optional(),
}) satisfies z.ZodType<LeaveMessageRequest, unknown>;
export type ParsedLeaveMessageRequest = z.output<typeof leaveMessageRequestSchema>;

export const sendTextRequestSchema = z.object({
  clientMessageId: z.uuid(),
  // The channel's maxTextLength (4000) is the adapter's; the route checks it with a clear message.
  text: z.string().max(20_000),
}) satisfies z.ZodType<SendTextRequest, unknown>;

export const transcriptEmailRequestSchema = z.object({ email: z.string().trim().max(254).optional() });

export const transcriptQuerySchema = z.object({ format: z.enum(['txt', 'html']).default('txt') });

export const messagesReadSchema = z.object({ messageIds: z.array(z.uuid()).min(1).max(200) });
