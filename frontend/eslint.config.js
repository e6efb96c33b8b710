// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Imports a layer may not make: each entry keeps src/ pointing downward (see README). */
const forbid = (/** @type {string[]} */ groups, /** @type {string} */ message) => ({
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] },
});

const ANY_FEATURE_INTERNALS = ['@/features/*/*'];

export default tseslint.config(
  {
    // src/api/schema.gen.ts is made from src/api/openapi.json by scripts/api-types-from-document.sh.
    ignores: ['dist/', 'coverage/', 'test-results/', 'playwright-report/', 'src/api/schema.gen.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['build-tools/**', 'e2e/**', 'scripts/**', '*.config.{ts,js}'],
    languageOptions: { globals: globals.node },
  },
  { files: ['src/**'], languageOptions: { globals: globals.browser } },
  {
    files: ['src/**'],
    ...forbid(ANY_FEATURE_INTERNALS, 'Use the feature through its index.ts.'),
  },
  {
    files: ['src/features/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./', message: 'Outside this feature, import with @/… instead of ../' },
            { group: ANY_FEATURE_INTERNALS, message: 'Use the feature through its index.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**'],
    ...forbid(
      ['@/app*', '@/features*', '@/store*', '@/api*', '@/rtc*', 'zustand*'],
      'ui/ holds display components only: pass data in as props.',
    ),
  },
  {
    files: ['src/store/**'],
    ...forbid(['@/app*', '@/features*', '@/ui*'], 'Stores sit below the UI.'),
  },
  {
    files: ['src/api/**'],
    ...forbid(
      ['@/app*', '@/features*', '@/ui*', '@/store*', '@/rtc*', 'preact*'],
      'api/ is a leaf.',
    ),
  },
  {
    files: ['src/rtc/**'],
    ...forbid(
      ['@/app*', '@/features*', '@/ui*', '@/store*', 'preact*', 'zustand*'],
      'rtc/ knows nothing of Preact or the stores: its owner subscribes to it.',
    ),
  },
  {
    files: ['src/lib/**'],
    ...forbid(
      ['@/app*', '@/features*', '@/ui*', '@/store*', '@/api*', '@/rtc*'],
      'lib/ is a leaf.',
    ),
  },
  {
    files: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
);
