// The bots package (issue 7): NLU, flows, knowledge base, the engine the hub drives.
export * from './src/model.schema.js';
export * from './src/engine.contract.js';
export * from './src/nlu/index.js';
export * from './src/flows/index.js';
export * from './src/kb/index.js';
export * from './src/engine/index.js';
export * from './models/demo/index.js';
