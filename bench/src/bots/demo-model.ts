import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { botModelSchema, type BotModel } from '@ventanilla/bots';
import { z } from 'zod';

const DEMO = new URL('../../../bots/models/demo/index.ts', import.meta.url);

const demoModuleSchema = z.object({
  demoBotModel: botModelSchema,
  demoHeldOutSet: z.array(z.object({ utterance: z.string(), intent: z.string() })),
});

/**
 * The demo bot (bots/models/demo, written apart from the benchmark) if it is there: imported at
 * run time so the benchmark still runs — and says why the demo part is missing — without it.
 */
export async function loadDemoModel(): Promise<{ model: BotModel; heldOut: { utterance: string; intent: string }[] } | string> {
  if (!existsSync(fileURLToPath(DEMO))) return 'bots/models/demo/index.ts not present';
  const parsed = demoModuleSchema.safeParse(await import(DEMO.href));
  if (!parsed.success) return `bots/models/demo/index.ts does not export a valid demoBotModel/demoHeldOutSet: ${parsed.error.message}`;
  return { model: parsed.data.demoBotModel, heldOut: parsed.data.demoHeldOutSet };
}
