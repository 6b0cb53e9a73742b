// The bots package (issue 7): NLU, flows, knowledge base, the engine the hub drives.
export * from './src/model.schema.js';
export * from './src/engine.contract.js';
