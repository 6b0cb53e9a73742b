import { z } from 'zod';

/**
 * Limits are WhatsApp's (the strictest provider that carries these): up to 3 reply buttons with
 * titles of at most 20 characters; a list of at most 10 rows in all, row titles ≤ 24, row
 * descriptions ≤ 72, section titles and the list button ≤ 24 / 20, the body ≤ 1024.
 */
const buttonSchema = z.object({ id: z.string().trim().min(1).max(256), title: z.string().trim().min(1).max(20) });
const rowSchema = z.object({
  id: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(24),
  description: z.string().trim().min(1).max(72).optional(),
});
const sectionSchema = z.object({ title: z.string().trim().min(1).max(24), rows: z.array(rowSchema).min(1).max(10) });

export const interactiveReplySchema = z
  .object({
    text: z.string().trim().min(1).max(1024),
    buttons: z.array(buttonSchema).min(1).max(3).optional(),
    list: z.object({ button: z.string().trim().min(1).max(20), sections: z.array(sectionSchema).min(1).max(10) }).optional(),
  })
  .refine((i) => (i.buttons === undefined) !== (i.list === undefined), {
    message: 'Use botones o una lista, no ambos ni ninguno / use buttons or a list, exactly one',
  })
  .refine((i) => !i.list || i.list.sections.reduce((n, s) => n + s.rows.length, 0) <= 10, {
    message: 'Una lista admite hasta 10 opciones en total / a list takes at most 10 rows in all',
    path: ['list', 'sections'],
  })
  .refine((i) => uniqueIds([...(i.buttons ?? []), ...(i.list?.sections.flatMap((s) => s.rows) ?? [])]), {
    message: 'Cada botón u opción necesita un id distinto / every button or row needs its own id',
  });
export type InteractiveReply = z.infer<typeof interactiveReplySchema>;

export const templateReplySchema = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  variables: z.array(z.string().trim().min(1).max(1024)).max(100),
});
export type TemplateReply = z.infer<typeof templateReplySchema>;

/** The agent's reply: text and/or files, or one interactive message, or one template. */
export const replyBodySchema = z
  .object({
    text: z.string().trim().min(1).max(4096).optional(),
    fileIds: z.array(z.uuid()).min(1).max(10).optional(),
    interactive: interactiveReplySchema.optional(),
    template: templateReplySchema.optional(),
  })
  .refine((b) => b.text !== undefined || b.fileIds !== undefined || b.interactive !== undefined || b.template !== undefined, {
    message: 'Escriba un texto, adjunte un archivo o elija un mensaje interactivo o una plantilla / send a text, a file, an interactive message or a template',
  })
  .refine((b) => (b.interactive === undefined && b.template === undefined) || [b.text, b.fileIds, b.interactive, b.template].filter((v) => v !== undefined).length === 1, {
    message: 'Un mensaje interactivo o una plantilla se envía solo / an interactive message or a template is sent on its own',
  });
export type ReplyBody = z.infer<typeof replyBodySchema>;

function uniqueIds(items: ReadonlyArray<{ id: string }>): boolean {
  return new Set(items.map((i) => i.id)).size === items.length;
}
