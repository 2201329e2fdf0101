// Copies the emoji picker's data (emojibase-data, English) into public/emojibase/, so that the
// picker (frimousse, components/emoji-picker.tsx) loads it from Parley's own origin: the CSP's
// connect-src allows no CDN, and the service worker keeps it for offline use. Run before
// `next build` and `npm run dev`; the copies are not committed (.gitignore).

import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const LOCALE = 'en';
/** What frimousse fetches: `${emojibaseUrl}/${locale}/data.json` and `messages.json`. */
const FILES = ['data.json', 'messages.json'];

const require = createRequire(import.meta.url);
const source = join(dirname(require.resolve('emojibase-data/package.json')), LOCALE);
const target = join(root, 'public', 'emojibase', LOCALE);
mkdirSync(target, { recursive: true });
for (const file of FILES) copyFileSync(join(source, file), join(target, file));
