/**
 * Finds Chromium for the browser tests and launches it through playwright-core. We never
 * download a browser: CHROMIUM_PATH, else the usual system paths (Debian's `chromium`).
 */
import { chromium, type Browser } from 'playwright-core';
import { findExecutable } from '../find-executable';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The Chromium executable, or an error that says how to install one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  return findExecutable({
    need: 'Browser tests need Chromium',
    envVar: 'CHROMIUM_PATH',
    candidates: CANDIDATES,
    install: 'Install Debian\'s package with `apt-get update && apt-get install -y chromium` (what .ci/run does), or set CHROMIUM_PATH to a Chromium/Chrome executable. Never `npx playwright install`.',
  }, env);
}

export async function launchChromium(executablePath = findChromium()): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
}
