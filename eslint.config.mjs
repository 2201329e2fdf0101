import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

// The folder table of docs/architecture.md: which folders each folder may import from. A folder
// not named may import anything (test/, e2e/, bench/, scripts/).
const OURS = [
  'protocol',
  'db',
  'server',
  'app',
  'components',
  'hooks',
  'test',
  'e2e',
  'bench',
  'scripts',
];
const MAY_IMPORT = {
  protocol: [],
  db: [],
  server: ['db', 'protocol'],
  app: ['components', 'hooks', 'protocol', 'server/app-context.ts'],
  components: ['hooks', 'protocol'],
  hooks: ['protocol'],
};
const folderZones = Object.entries(MAY_IMPORT).flatMap(([target, allowed]) =>
  OURS.filter((from) => from !== target && !allowed.includes(from)).map((from) => ({
    target: `./${target}`,
    from: `./${from}`,
    // app/ may reach the server only through the bridge that Next and the server share.
    ...(from === 'server' && target === 'app' ? { except: ['./app-context.ts'] } : {}),
    message: `${target}/ may import only ${allowed.length ? allowed.join(', ') : 'nothing of ours'} (docs/architecture.md, Folders).`,
  })),
);

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [
      'public/sw.js',
      'public/sw.js.map',
      '.next/**',
      'dist/**',
      'node_modules/**',
      'data/**',
      'db/migrations/**',
      'next-env.d.ts',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  {
    // Type-aware rules (no-floating-promises) need the TypeScript project.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits or handles loses its errors: mark the deliberate ones `void`.
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    rules: {
      'import/no-restricted-paths': ['error', { zones: folderZones }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Only db/ talks to the database library.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Only db/ imports drizzle.' },
          ],
        },
      ],
    },
  },
  {
    // Seeding and test helpers are for bench/ and test/ only.
    files: ['app/**', 'components/**', 'hooks/**', 'protocol/**', 'server/**', 'scripts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Only db/ imports drizzle.' },
            { group: ['**/db/seed'], message: 'db/seed is for benchmarks and tests only.' },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures take a callback named `use`; it is not React's.
    files: ['e2e/**', 'test/**', 'scripts/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  {
    files: ['db/**', 'drizzle.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];

export default config;
