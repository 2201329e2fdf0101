// Regenerates docs/screenshot.png: two people chatting, as the README shows it.
// Run with: node scripts/ensure-build.mjs && npx tsx scripts/screenshot.ts

import { chromium } from '@playwright/test';
import { CHROMIUM_PATH } from '../playwright.config';
import { createActor, sendMessage, startChat } from '../e2e/fixtures';
import { startProcessServer } from '../test/helpers/process-server';

const server = await startProcessServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
try {
  const alice = await createActor(browser, server.url, 'alice', { exactName: true });
  const bob = await createActor(browser, server.url, 'bob', { exactName: true });
  const carol = await createActor(browser, server.url, 'carol', { exactName: true });
  await startChat(carol.page, alice.username);
  await sendMessage(carol.page, 'Are we still on for Friday?');
  await startChat(alice.page, bob.username);
  await startChat(bob.page, alice.username);
  const lines: [typeof alice, string][] = [
    [alice, 'Hi Bob! Did the build pass?'],
    [bob, 'It did, on PostgreSQL and on PGlite.'],
    [bob, 'Deploying the second node now.'],
    [alice, 'Great.\nI will watch /readyz while you do.'],
  ];
  for (const [who, text] of lines) await sendMessage(who.page, text);
  await alice.page.setViewportSize({ width: 1100, height: 620 });
  await alice.page.waitForTimeout(500);
  await alice.page.screenshot({ path: process.argv[2] ?? 'docs/screenshot.png' });
} finally {
  await browser.close();
  await server.stop();
}
