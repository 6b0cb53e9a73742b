import { createBotEngine, loadNlu, type BotEngine, type BotModel, type TrainedNlu } from '@ventanilla/bots';
import { officialIdChecks } from '../runtime/official-id-checks.js';

/** Loaded models the test box keeps (a trainer tries many utterances on the same one or two versions). */
const CAPACITY = 6;

export interface ConsoleEngine {
  nlu: TrainedNlu;
  engine: BotEngine;
}

/**
 * A small LRU of trained models by id and training time: a retrained draft keeps its id but gets
 * a new trainedAt, so the key changes and the old entry ages out.
 */
export class ConsoleEngines {
  private readonly entries = new Map<string, Promise<ConsoleEngine>>();

  get(modelId: string, trainedAt: string, model: BotModel, trained: string): Promise<ConsoleEngine> {
    const key = `${modelId}@${trainedAt}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const loading = load(model, trained);
    this.entries.set(key, loading);
    loading.catch(() => this.entries.delete(key));
    while (this.entries.size > CAPACITY) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return loading;
  }
}

async function load(model: BotModel, trained: string): Promise<ConsoleEngine> {
  const nlu = await loadNlu(model, trained, officialIdChecks);
  return { nlu, engine: createBotEngine(model, nlu, officialIdChecks) };
}
