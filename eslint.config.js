// ESLint flat config. Besides the recommended TypeScript rules it enforces the workspace
// boundaries from BRIEF.md: code is split by where it may run.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const serverOnly = ['koa', 'koa-*', '@koa/*', 'mongoose', 'mongodb', 'bson', 'mingo', '@node-rs/*', 'pino'];
const reactOnly = ['react', 'react-dom', 'react-dom/*', 'antd', 'antd/*', '@formily/react', '@formily/antd-v5', 'bpmn-js', 'bpmn-js/*', 'echarts', 'echarts/*'];
// Node-only form validation (ajv): the portal's CSP forbids code generation.
const nodeOnly = ['ajv', 'ajv/*', 'ajv-*', '@lianban/runtime/validate'];
const serverWorkspace = ['@lianban/server', '@lianban/server/*', '**/server/src/**'];
const deepImports = {
  group: ['@lianban/*/src/*', '@lianban/*/src'],
  message: 'Import another workspace by its package name and public entry, not its internals.',
};

const webPatterns = [
  deepImports,
  { group: serverWorkspace, message: 'Web code may not import the server; talk to it over HTTP.' },
  { group: serverOnly, message: 'Web code may not import server-only libraries.' },
  { group: nodeOnly, message: 'ajv generates code (forbidden by the CSP) and is heavy: the browser validates with compileChecker from @lianban/runtime.' },
];
/** Imports of one folder of runtime/src/web from a sibling folder. */
const webRoom = (room, message) => ({ group: [`../${room}`, `../${room}/**`, `**/web/${room}`, `**/web/${room}/**`], message });

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', 'data/**', 'bench/results.json', 'test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly',
        window: 'readonly', document: 'readonly', fetch: 'readonly', performance: 'readonly',
        queueMicrotask: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
      },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-relative-packages': 'error',
      'import-x/no-self-import': 'error',
      'no-restricted-imports': ['error', { patterns: [deepImports] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // The pure runtime: engine, rules and form model run in Node and the browser alike.
    files: ['runtime/src/**/*.{ts,tsx}'],
    ignores: ['runtime/src/web/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          deepImports,
          { group: [...serverOnly, ...reactOnly], message: 'The pure runtime may not import server or UI libraries (BRIEF: runtime core is framework-free).' },
          { group: serverWorkspace, message: 'The runtime may not import the server.' },
          { group: ['**/web/**', './web', '../web'], message: 'The pure runtime may not import its web part.' },
        ],
      }],
    },
  },
  {
    // Browser code: the designer and the runtime's web part.
    files: ['designer/src/**/*.{ts,tsx}', 'runtime/src/web/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: webPatterns }] },
  },
  // The runtime's web rooms: the portal (applicants) and the tasklist (staff) share the app
  // shell (web/shell) and the case pieces (web/case), never each other; only web/app, the entry
  // that routes to both, imports them both. The shell imports no pages.
  {
    files: ['runtime/src/web/tasklist/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...webPatterns, webRoom('portal', 'The tasklist may not import the portal; shared pieces go to web/shell or web/case.')] }] },
  },
  {
    files: ['runtime/src/web/portal/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...webPatterns, webRoom('tasklist', 'The portal may not import the tasklist; shared pieces go to web/shell or web/case.')] }] },
  },
  {
    files: ['runtime/src/web/shell/**/*.{ts,tsx}', 'runtime/src/web/case/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [...webPatterns, ...['portal', 'tasklist', 'app'].map((room) => webRoom(room, 'The shared shell and case pieces may not import the pages that use them.'))],
      }],
    },
  },
  {
    // The embedded database is a workspace of its own: a MongoDB-compatible server that knows
    // nothing of Lianban, so it can be tested, benchmarked and replaced alone.
    files: ['embedded-db/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@lianban/*', '@lianban/*/*', '**/server/src/**', '**/runtime/src/**', '**/designer/src/**', '**/templates/**'], message: 'The embedded database may not import any Lianban workspace (it is application-agnostic).' },
          { group: [...reactOnly, 'mongoose', 'koa', 'koa-*', '@koa/*'], message: 'The embedded database may not import UI or HTTP-server libraries.' },
        ],
      }],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
