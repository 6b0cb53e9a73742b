import type { BotModel, TrainingReport } from '@ventanilla/bots';
import { Worker } from 'node:worker_threads';
import { inheritedExecArgv, tsxExecArgv } from '../../db/pglite-thread-client.js';
import { HubError } from '../../errors/error-registry.js';
import { isTrainingOutcome, type TrainingJob } from './training-protocol.js';

const ENTRY = new URL('./training.thread.ts', import.meta.url);
/** A training that takes longer is stuck (300 intents × 20 phrases trains in well under a minute). */
const TRAINING_TIMEOUT_MS = 10 * 60_000;

/** Trains the model in a worker thread; resolves with NLP.js's export and the cross-validation report. */
export async function trainInThread(model: BotModel): Promise<{ trained: string; report: TrainingReport }> {
  const job: TrainingJob = { model };
  const worker = spawn(job);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(new HubError('HUB_ERR_BOT_TRAINING_FAILED', 'El entrenamiento tardó demasiado / training took too long'))), TRAINING_TIMEOUT_MS);
    worker.once('message', (message: unknown) => {
      if (!isTrainingOutcome(message)) return settle(() => reject(new Error('training thread sent an unexpected message')));
      if (!message.ok) return settle(() => reject(new HubError('HUB_ERR_BOT_TRAINING_FAILED', `No se pudo entrenar el modelo / the model could not be trained — ${message.message}`)));
      settle(() => resolve({ trained: message.trained, report: message.report }));
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`training thread exited with code ${code} before answering`))));
  });
}

function spawn(job: TrainingJob): Worker {
  const options = { workerData: job };
  try {
    return new Worker(ENTRY, { ...options, execArgv: [...inheritedExecArgv(), ...tsxExecArgv()] });
  } catch (error) {
    // Process-wide flags the parent may run with are refused in workers; the thread only needs tsx.
    if (error instanceof Error && 'code' in error && error.code === 'ERR_WORKER_INVALID_EXEC_ARGV') return new Worker(ENTRY, { ...options, execArgv: tsxExecArgv() });
    throw error;
  }
}
