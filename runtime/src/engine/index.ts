// Filled in by the engine module; see runtime/src/index.ts.
export {};
