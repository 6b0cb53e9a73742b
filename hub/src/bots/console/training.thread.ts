import { parentPort, workerData } from 'node:worker_threads';
import { botModelSchema, trainWithReport } from '@ventanilla/bots';
import { officialIdChecks } from '../runtime/official-id-checks.js';
import type { TrainingOutcome } from './training-protocol.js';

/**
 * One training, off the hub's event loop: NLP.js trains synchronously, and a model of 300 intents
 * with cross-validation keeps a CPU busy for seconds that every other request would wait.
 */
async function run(job: unknown): Promise<TrainingOutcome> {
  try {
    // The model passed the gate in the hub; reading it back through the schema costs little and keeps the thread typed.
    const model = botModelSchema.parse(typeof job === 'object' && job !== null && 'model' in job ? job.model : undefined);
    const { nlu, report } = await trainWithReport(model, officialIdChecks);
    return { ok: true, trained: nlu.exportTrained(), report };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.postMessage(await run(workerData));
