import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';
import prettier from 'eslint-config-prettier';

const SHARED_DEPENDS_ON_NEITHER = ['**/lambdas/**', '**/local/**'];
const SHARED_MESSAGE = 'shared/ must not import lambdas/ or local/: they build on it.';

export default tseslint.config(
  { ignores: ['dist/', 'cdk.out/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // shared/ is what both runtimes share: the handlers (lambdas/) and their local wiring (local/)
    // build on it, never the other way round. shared/domain's rule below repeats this pattern, as a
    // later config's options replace an earlier one's.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: SHARED_DEPENDS_ON_NEITHER, message: SHARED_MESSAGE }] },
      ],
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@aws-sdk/*',
                '@aws-lambda-powertools/*',
                '@middy/*',
                'aws-lambda',
                'aws-cdk-lib',
                'node:*',
              ],
              message: 'shared/domain is pure: plain data in, plain data out.',
            },
            {
              group: ['**/store/**', '**/zendesk/**', '**/messages/**'],
              message: 'shared/domain must not depend on adapters.',
            },
            { group: SHARED_DEPENDS_ON_NEITHER, message: SHARED_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-disabled-tests': 'error',
      'jest/no-focused-tests': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'assert*'] }],
      'jest/valid-expect': 'error',
    },
  },
  { files: ['**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  prettier,
);
