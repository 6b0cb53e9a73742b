import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/dist-widget/**', '**/dist-portal/**', 'data/**', 'coverage/**', 'inbox-ui/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'No default exports (CONVENTIONS 15).' },
      ],
    },
  },
  {
    // Config is read once, in the config module (CONVENTIONS 10).
    files: ['hub/src/**/*.ts', 'connectors/**/*.ts', 'bots/**/*.ts', 'voice-bridge/**/*.ts'],
    ignores: ['hub/src/config/config.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through loadConfig().' }],
    },
  },
  {
    // The inbox (React): hooks follow the rules of hooks, effects list what they read.
    files: ['inbox-ui/src/**/*.tsx', 'inbox-ui/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts', 'vitest.*.config.ts', '**/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
