// Filled in by the rules module; see runtime/src/index.ts.
export {};
