import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createKbAnswerer } from './kb-answerer.js';
import { kbArticles } from './kb-articles.fixture.js';

type Behaviour = 'answer' | 'no-info' | 'error' | 'hang';

interface FakeLlm {
  baseUrl: string;
  requests: { path: string; body: string }[];
}

let servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
  servers = [];
});

/** A tiny server speaking the OpenAI chat-completions wire format (as vLLM or llama.cpp do), and Ollama's /api/chat. */
async function fakeOpenAi(behaviour: Behaviour, content = 'Puede pedir la copia certificada en línea con su CURP.'): Promise<FakeLlm> {
  const requests: { path: string; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body });
      if (behaviour === 'hang') return;
      if (req.url?.startsWith('/api/chat')) {
        // Ollama's wire format (newline-delimited JSON; one final chunk).
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.end(`${JSON.stringify({ model: 'llama3', created_at: new Date().toISOString(), message: { role: 'assistant', content }, done: true, done_reason: 'stop' })}\n`);
        return;
      }
      if (behaviour === 'error') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } }));
        return;
      }
      const text = behaviour === 'no-info' ? 'No tengo esa información.' : content;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1_764_000_000,
          model: 'modelo-local',
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, requests };
}

describe('createKbAnswerer without an LLM', () => {
  it('answers with the best passage and cites the article in Spanish', async () => {
    const answer = await createKbAnswerer(kbArticles).answer('mi acta tiene errores, ¿cómo pido una aclaración?', 'es');
    expect(answer).toEqual({
      articleId: 'kb-acta',
      title: 'Copia certificada de acta de nacimiento',
      text: 'Si su acta tiene errores, solicite una aclaración administrativa en la oficialía donde se registró.\n\n(Fuente: «Copia certificada de acta de nacimiento»)',
      score: expect.any(Number),
      source: 'retriever',
    });
  });

  it('cites in English for an English question', async () => {
    const answer = await createKbAnswerer(kbArticles).answer('predial discount', 'en');
    expect(answer?.text.endsWith('(Source: "Pago del impuesto predial")')).toBe(true);
  });

  it('returns null when nothing is relevant enough, or for an empty question', async () => {
    const kb = createKbAnswerer(kbArticles);
    expect(await kb.answer('¿venden boletos para el fútbol?', 'es')).toBeNull();
    expect(await kb.answer('   ', 'es')).toBeNull();
    expect(await createKbAnswerer(kbArticles, { minScore: 50 }).answer('acta de nacimiento', 'es')).toBeNull();
  });
});

describe('createKbAnswerer with an OpenAI-compatible LLM', () => {
  it('asks the LLM with the retrieved article text and returns its grounded answer with the citation', async () => {
    const llm = await fakeOpenAi('answer');
    const kb = createKbAnswerer(kbArticles, { llm: { kind: 'openai', baseUrl: llm.baseUrl, model: 'modelo-local', timeoutMs: 5000 } });
    const answer = await kb.answer('¿Cuánto cuesta la copia del acta de nacimiento?', 'es');
    expect(answer).toMatchObject({ articleId: 'kb-acta', source: 'llm' });
    expect(answer?.text).toBe('Puede pedir la copia certificada en línea con su CURP.\n\n(Fuente: «Copia certificada de acta de nacimiento»)');
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]?.path).toBe('/v1/chat/completions');
    const sent = JSON.parse(llm.requests[0]?.body ?? '{}') as { model: string; messages: { role: string; content: string }[] };
    expect(sent.model).toBe('modelo-local');
    const system = sent.messages.find((m) => m.role === 'system')?.content ?? '';
    expect(system).toContain('El costo varía por entidad federativa');
    expect(system).toContain('SOLO con la información de los artículos');
    expect(sent.messages.find((m) => m.role === 'user')?.content).toBe('¿Cuánto cuesta la copia del acta de nacimiento?');
  });

  it('gives up (null) when the LLM says the articles do not answer', async () => {
    const llm = await fakeOpenAi('no-info');
    const kb = createKbAnswerer(kbArticles, { llm: { kind: 'openai', baseUrl: llm.baseUrl, model: 'm' } });
    expect(await kb.answer('¿Qué documentos pide la cita de pensión?', 'es')).toBeNull();
  });

  it('falls back to the passage when the LLM answers 500', async () => {
    const llm = await fakeOpenAi('error');
    const kb = createKbAnswerer(kbArticles, { llm: { kind: 'openai', baseUrl: llm.baseUrl, model: 'm', timeoutMs: 5000 } });
    const answer = await kb.answer('mi acta tiene errores, ¿cómo pido una aclaración?', 'es');
    expect(answer).toMatchObject({ articleId: 'kb-acta', source: 'retriever' });
    expect(answer?.text).toMatch(/^Si su acta tiene errores/);
    expect(llm.requests).toHaveLength(1);
  });

  it('falls back to the passage when the LLM hangs past the timeout', async () => {
    const llm = await fakeOpenAi('hang');
    const kb = createKbAnswerer(kbArticles, { llm: { kind: 'openai', baseUrl: llm.baseUrl, model: 'm', timeoutMs: 300 } });
    const started = Date.now();
    const answer = await kb.answer('descuento del predial para adultos mayores', 'es');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer).toMatchObject({ articleId: 'kb-predial', source: 'retriever' });
  });

  it('answers through Ollama with the article text in the prompt', async () => {
    const llm = await fakeOpenAi('answer', 'El predial tiene descuento en enero y febrero.');
    const kb = createKbAnswerer(kbArticles, { llm: { kind: 'ollama', baseUrl: llm.baseUrl.replace(/\/v1$/, ''), model: 'llama3', timeoutMs: 5000 } });
    const answer = await kb.answer('¿hay descuento en el predial?', 'es');
    expect(answer).toMatchObject({ articleId: 'kb-predial', source: 'llm', text: 'El predial tiene descuento en enero y febrero.\n\n(Fuente: «Pago del impuesto predial»)' });
    expect(llm.requests[0]?.path).toBe('/api/chat');
    expect(llm.requests[0]?.body).toContain('descuento por pago anticipado');
  });

  it('falls back when an Ollama server hangs past the timeout', async () => {
    const llm = await fakeOpenAi('hang');
    const kb = createKbAnswerer(kbArticles, { llm: { kind: 'ollama', baseUrl: llm.baseUrl.replace(/\/v1$/, ''), model: 'llama3', timeoutMs: 300 } });
    const started = Date.now();
    const answer = await kb.answer('descuento del predial para adultos mayores', 'es');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer).toMatchObject({ articleId: 'kb-predial', source: 'retriever' });
  });

  it('falls back when nothing listens at the configured URL (Ollama kind)', async () => {
    const kb = createKbAnswerer(kbArticles, { llm: { kind: 'ollama', baseUrl: 'http://127.0.0.1:9', model: 'llama3', timeoutMs: 1000 } });
    const answer = await kb.answer('mi acta tiene errores, ¿cómo pido una aclaración?', 'es');
    expect(answer).toMatchObject({ articleId: 'kb-acta', source: 'retriever' });
  });
});
