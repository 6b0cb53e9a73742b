import { appendFileSync } from 'node:fs';
import process from 'node:process';

/** ESM resolve hook: records resolutions of @opentelemetry packages (tracing.test.ts). */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const file = process.env.OTEL_SPY_FILE;
  if (file && result.url.includes('/@opentelemetry/')) appendFileSync(file, `${result.url}\n`);
  return result;
}
