// Filled in by the forms module; see runtime/src/index.ts.
export {};
