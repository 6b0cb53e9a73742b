// Knowledge-base answers (issue 7 item 3): offline BM25 retrieval, optional grounded LLM.
export { Bm25Retriever, type Bm25RetrieverInput, type KbDocumentMetadata } from './bm25-retriever.js';
export { createKbAnswerer, type KbAnswererOptions } from './kb-answerer.js';
export type { KbLlmConfig } from './kb-llm.js';
export { tokenize, stem, foldText } from './tokenize.js';
