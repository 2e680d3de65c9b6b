import { existsSync } from 'node:fs';

/** Debian's Chromium, which `.ci/run` installs; the browser tests drive it through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Whether Chromium is installed; says (once per test file) that the browser tests are skipped when not. */
export function haveChromium(): boolean {
  const have = existsSync(CHROMIUM);
  if (!have)
    console.warn(`SKIPPED: the browser test needs Debian chromium at ${CHROMIUM} (sudo apt-get install -y chromium).`);
  return have;
}
