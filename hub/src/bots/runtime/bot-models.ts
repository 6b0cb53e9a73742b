import type { Kysely } from 'kysely';
import { createBotEngine, loadNlu, trainNlu, validateBotModel, type BotEngine, type TrainedNlu } from '@ventanilla/bots';
import type { BotModel } from '@ventanilla/bots';
import type { Database } from '../../db/schema.js';
import { officialIdChecks } from './official-id-checks.js';

/** How long a campaign's production model id is trusted before it is looked up again (promotion/rollback). */
const PRODUCTION_ID_TTL_MS = 5_000;

export interface LoadedBotModel {
  id: string;
  campaignId: string;
  engine: BotEngine;
}

/** The stored model does not validate or cannot be trained: the bot hands the conversation to a person. */
export class BotModelUnusableError extends Error {
  constructor(
    readonly modelId: string,
    reason: string,
  ) {
    super(`bot model ${modelId} cannot be used: ${reason}`);
    this.name = 'BotModelUnusableError';
  }
}

/**
 * The engines of production models, per process. A version is never edited once trained, so an
 * engine is cached by model id for the life of the process; only "which version is production"
 * is looked up again, at most every few seconds, so a promotion or a rollback reaches the next turn.
 */
export class BotModels {
  private readonly engines = new Map<string, Promise<LoadedBotModel>>();
  private readonly production = new Map<string, { at: number; id: string | null }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The campaign's production model (null: none); `fallbackId` when production was withdrawn mid-session. */
  async forCampaign(campaignId: string, fallbackId: string | null = null): Promise<LoadedBotModel | null> {
    const id = (await this.productionId(campaignId)) ?? fallbackId;
    return id === null ? null : this.byId(id);
  }

  byId(modelId: string): Promise<LoadedBotModel> {
    const cached = this.engines.get(modelId);
    if (cached) return cached;
    const loading = this.load(modelId);
    this.engines.set(modelId, loading);
    loading.catch(() => this.engines.delete(modelId));
    return loading;
  }

  private async productionId(campaignId: string): Promise<string | null> {
    const hit = this.production.get(campaignId);
    if (hit && this.now() - hit.at < PRODUCTION_ID_TTL_MS) return hit.id;
    const row = await this.db.selectFrom('bot_models').select('id').where('campaign_id', '=', campaignId).where('status', '=', 'production').executeTakeFirst();
    const id = row?.id ?? null;
    this.production.set(campaignId, { at: this.now(), id });
    return id;
  }

  private async load(modelId: string): Promise<LoadedBotModel> {
    const row = await this.db.selectFrom('bot_models').select(['id', 'campaign_id', 'model', 'trained']).where('id', '=', modelId).executeTakeFirst();
    if (!row) throw new BotModelUnusableError(modelId, 'not found');
    const validated = validateBotModel(row.model);
    if (!validated.ok) throw new BotModelUnusableError(modelId, validated.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    const nlu = await this.nluOf(modelId, validated.model, row.trained);
    return { id: row.id, campaignId: row.campaign_id, engine: createBotEngine(validated.model, nlu, officialIdChecks) };
  }

  private async nluOf(modelId: string, model: BotModel, trained: string | null): Promise<TrainedNlu> {
    if (trained !== null) {
      try {
        return await loadNlu(model, trained, officialIdChecks);
      } catch {
        // An export from another NLP.js version: training again gives the same model.
      }
    }
    let fresh: Awaited<ReturnType<typeof trainNlu>>;
    try {
      fresh = await trainNlu(model, officialIdChecks);
    } catch (error) {
      // Not transient: retrying the turn would train and fail again while the citizen waits.
      throw new BotModelUnusableError(modelId, `training failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Kept for the next process; a version's phrases never change once it is production.
    await this.db.updateTable('bot_models').set({ trained: fresh.nlu.exportTrained() }).where('id', '=', modelId).execute();
    return fresh.nlu;
  }
}
