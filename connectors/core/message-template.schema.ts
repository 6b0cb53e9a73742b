import { z } from 'zod';

/**
 * One approved template of a channel's catalogue (`settings.templates`). The provider approves
 * templates out of band (WhatsApp Manager); the hub only offers these to agents and checks the
 * variables count before sending, so a send never fails for a wrong number of parameters.
 * `body` is the approved text with `{{1}}`…`{{n}}` placeholders, shown to the agent.
 */
export const messageTemplateSchema = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and _'),
  language: z.string().min(2).max(15),
  category: z.enum(['utility', 'marketing', 'authentication']).optional(),
  body: z.string().min(1).max(1024),
  variables: z.number().int().min(0).max(100),
});
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;

/** The generic optional settings key every templates-capable adapter schema includes. */
export const templateCatalogueSchema = z.array(messageTemplateSchema).max(500);

/** Reads the catalogue out of any channel's settings (absent or malformed: none). */
export function templatesOf(settings: unknown): MessageTemplate[] {
  const parsed = z.object({ templates: templateCatalogueSchema }).safeParse(settings);
  return parsed.success ? parsed.data.templates : [];
}

/** The template's text as the citizen will read it: `{{i}}` replaced by variable i (1-based). */
export function renderTemplate(body: string, variables: readonly string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, index: string) => variables[Number(index) - 1] ?? whole);
}
