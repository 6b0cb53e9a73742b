import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOllama } from '@langchain/ollama';
import { ChatOpenAI } from '@langchain/openai';

/** An LLM the hub may configure (BOT_LLM_* settings); without one the KB answers with passages. */
export interface KbLlmConfig {
  kind: 'openai' | 'ollama';
  /** OpenAI-compatible: up to `/v1` (e.g. `http://127.0.0.1:8000/v1`); Ollama: its root (`http://127.0.0.1:11434`). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per answer; past it the retriever's passage is used (default 8,000 ms). */
  timeoutMs?: number;
}

export const DEFAULT_LLM_TIMEOUT_MS = 8_000;

/**
 * No retries and a low temperature: a citizen waits on the answer, and a stalled model is
 * replaced by the retriever's passage rather than tried again.
 */
export function createKbChatModel(config: KbLlmConfig): BaseChatModel {
  const timeout = config.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  if (config.kind === 'ollama') {
    return new ChatOllama({ baseUrl: config.baseUrl, model: config.model, temperature: 0.1, maxRetries: 0 });
  }
  return new ChatOpenAI({
    model: config.model,
    temperature: 0.1,
    maxRetries: 0,
    timeout,
    // Local OpenAI-compatible servers (vLLM, llama.cpp) take any key; the client insists on one.
    apiKey: config.apiKey ?? 'sin-clave',
    configuration: { baseURL: config.baseUrl },
  });
}
