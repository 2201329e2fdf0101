// Browser tests in Debian's Chromium (Playwright cannot download its own browser here).
// Each spec file starts its own Parley server; see e2e/fixtures.ts.
//
// Most tests run in Debian's chromium-headless-shell: the same Chromium build without the
// desktop browser around it, which is what Playwright itself runs headless tests in. A new
// context with a page of the app and a short chat cost it half the CPU of the full browser's
// headless mode. The specs that need the full browser run in it (FULL_BROWSER_SPECS).

import { defineConfig } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HEADLESS_SHELL_PATH =
  process.env.HEADLESS_SHELL_PATH ?? '/usr/bin/chromium-headless-shell';
/**
 * The specs that run in the full browser: the one that turns notifications on (the headless
 * shell denies their permission whatever the context grants). The test of installing the app
 * launches the full browser itself, with a profile of its own.
 */
const FULL_BROWSER_SPECS = /\/security-headers\.spec\.ts$/;

/** Headless Chromium without the background traffic this machine's closed network refuses. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    browserName: 'chromium',
    // No trace: recording one for every test (to keep it when the test fails) cost the browser
    // tests a sixth of their CPU. To look into a failure, run it again with
    // `npx playwright test <spec> --trace retain-on-failure`.
    trace: 'off',
    // A click or a page load that cannot happen fails at its own line, not as the test's timeout.
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: FULL_BROWSER_SPECS,
      use: { launchOptions: { executablePath: HEADLESS_SHELL_PATH, args: CHROMIUM_ARGS } },
    },
    {
      name: 'chromium-full',
      testMatch: FULL_BROWSER_SPECS,
      use: { launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } },
    },
  ],
});
