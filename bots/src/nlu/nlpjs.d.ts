/**
 * The part of NLP.js v4 we use (the packages ship no types). Shapes follow their sources:
 * @nlpjs/core src/container-bootstrap.js, @nlpjs/nlp src/nlp.js, @nlpjs/nlu src/nlu-manager.js.
 */

declare module '@nlpjs/core' {
  /** A plugin registers itself in a container (`register(container)`), or is a class the container instantiates. */
  export type NlpjsPlugin = object;

  /** The logger NLP.js looks up by name ('logger') for its warnings. */
  export interface NlpjsLogger {
    debug(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
    log(...args: unknown[]): void;
    trace(...args: unknown[]): void;
    fatal(...args: unknown[]): void;
  }

  export interface Container {
    use(plugin: NlpjsPlugin): string;
    register(name: string, value: NlpjsLogger | NlpjsPlugin, isSingleton?: boolean): void;
  }

  export function containerBootstrap(): Container;
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';

  export interface NlpSettings {
    languages?: string[];
    autoSave?: boolean;
    autoLoad?: boolean;
    calculateSentiment?: boolean;
    threshold?: number;
    forceNER?: boolean;
  }

  export interface NlpClassification {
    intent: string;
    score: number;
  }

  /** What `classify` resolves to: the classifier alone (no NER, NLG, sentiment). */
  export interface NlpClassifyOutput {
    locale: string;
    utterance: string;
    classifications: NlpClassification[];
    /** 'None' when nothing fits (no classification, a zero best score or a tie at the top). */
    intent: string;
    score: number;
  }

  /** What `process` resolves to (we read only the classification part). */
  export interface NlpProcessOutput extends NlpClassifyOutput {
    answer?: string;
  }

  export interface NluManagerSettings {
    /** Training progress on the console (`Epoch 1 loss …`) unless false. */
    log?: boolean;
  }

  /** One language's trained classifier (NLP.js's NeuralNlu for the default domain). */
  export interface NlpDomain {
    /** Every stem the model was trained on (after training or import). */
    features?: Record<string, number>;
    /** The prepared-text cache NLP.js keeps for an hour: text → stems, per locale. */
    cache?: { results: Record<string, Record<string, unknown>> };
    /** The text's stems as the classifier sees them (normalised, tokenised, stemmed). */
    prepare(text: string): Promise<Record<string, number>>;
  }

  export class Nlp {
    constructor(settings?: NlpSettings, container?: Container);
    settings: NlpSettings;
    nluManager: { settings: NluManagerSettings; domainManagers: Record<string, { domains: Record<string, NlpDomain> }> };
    addLanguage(locales: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    classify(locale: string, utterance: string): Promise<NlpClassifyOutput>;
    process(locale: string, utterance: string): Promise<NlpProcessOutput>;
    export(minified?: boolean): string;
    import(data: string): void;
  }
}

declare module '@nlpjs/lang-es' {
  import type { NlpjsPlugin } from '@nlpjs/core';

  export const LangEs: NlpjsPlugin;
}

declare module '@nlpjs/lang-en' {
  import type { NlpjsPlugin } from '@nlpjs/core';

  export const LangEn: NlpjsPlugin;
}
