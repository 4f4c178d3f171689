/** Shared test helpers: load a `.bpmn` fixture next to the tests, find waits, round-trip state. */
import { readFileSync } from 'node:fs';
import { deploy, type Definition, type StepResult, type Wait } from '@lianban/runtime';

export const NOW = '2026-11-20T09:00:00+08:00';

export function fixture(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

/** Deploys a fixture and fails loudly with its problems if it does not deploy. */
export async function load(name: string): Promise<Definition> {
  const { definition, problems } = await deploy(fixture(name));
  if (!definition) throw new Error(`${name}: ${JSON.stringify(problems)}`);
  return definition;
}

/** The one open wait at `elementId` (throws when there is none or several). */
export function waitAt(r: StepResult, elementId: string): Wait {
  const found = r.waits.filter((w) => w.elementId === elementId);
  if (found.length !== 1) throw new Error(`expected one wait at ${elementId}, got ${found.length}: ${r.waits.map((w) => w.elementId).join(',')}`);
  return found[0]!;
}

/** The state as the server would store and load it. */
export function saved<T>(state: T): T {
  return JSON.parse(JSON.stringify(state)) as T;
}

export const elementsWaiting = (r: StepResult) => r.waits.map((w) => w.elementId).sort();

