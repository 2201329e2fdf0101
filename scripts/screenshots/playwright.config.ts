// `npm run screenshots`: the README's pictures, taken from a seeded conversation by the app
// itself (the same server and browser as the e2e specs). Not part of `npm test`.

import base from '../../playwright.config';

const config = {
  ...base,
  testDir: '.',
  globalSetup: '../../e2e/global-setup.ts',
  workers: 1,
};

export default config;
