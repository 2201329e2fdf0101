import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

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
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
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
