// Draws Parley's app icons (public/icons/*.png) from one SVG, with Chromium.
// Run after changing the design: npx tsx scripts/make-icons.ts

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_PATH } from '../playwright.config';

const OUT = resolve(import.meta.dirname, '../public/icons');

/** A speech bubble on green. `safe` shrinks the drawing into the maskable safe zone. */
function svg(size: number, safe: boolean, rounded: boolean): string {
  const scale = safe ? 0.62 : 0.8;
  const inner = size * scale;
  const offset = (size - inner) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <rect width="${size}" height="${size}" rx="${rounded ? size * 0.22 : 0}" fill="#0b6e4f"/>
  <g transform="translate(${offset} ${offset}) scale(${inner / 100})">
    <path d="M12 14 h76 a10 10 0 0 1 10 10 v40 a10 10 0 0 1 -10 10 h-44 l-22 18 v-18 h-10 a10 10 0 0 1 -10 -10 v-40 a10 10 0 0 1 10 -10 z" fill="#ffffff"/>
    <circle cx="32" cy="44" r="6" fill="#0b6e4f"/>
    <circle cx="50" cy="44" r="6" fill="#0b6e4f"/>
    <circle cx="68" cy="44" r="6" fill="#0b6e4f"/>
  </g>
</svg>`;
}

const icons = [
  { file: 'icon-192.png', size: 192, safe: false, rounded: true },
  { file: 'icon-512.png', size: 512, safe: false, rounded: true },
  { file: 'maskable-512.png', size: 512, safe: true, rounded: false },
  { file: 'apple-touch-icon.png', size: 180, safe: false, rounded: false },
];

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const icon of icons) {
    await page.setViewportSize({ width: icon.size, height: icon.size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg(icon.size, icon.safe, icon.rounded)}</body></html>`,
    );
    await page.locator('svg').screenshot({ path: resolve(OUT, icon.file), omitBackground: true });
  }
} finally {
  await browser.close();
}
console.log(`Wrote ${icons.length} icons to public/icons.`);
