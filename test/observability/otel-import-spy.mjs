// Preloaded with NODE_OPTIONS=--import: registers otel-import-spy-hooks.mjs, which writes every
// @opentelemetry module a process resolves to the file named by OTEL_SPY_FILE.
import { register } from 'node:module';

register('./otel-import-spy-hooks.mjs', import.meta.url);
