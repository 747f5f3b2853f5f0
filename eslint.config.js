// Lint rules that know each file's runtime (as VS Code and Signal Desktop do): a wrong import
// between layers fails `npm test`.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Bare built-in names must match exactly (a local './events' is fine), so they are `paths`, not patterns.
const nodeBuiltinNames = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https', 'url', 'worker_threads', 'stream', 'events', 'util', 'module', 'perf_hooks'];
const builtinPaths = (message) => nodeBuiltinNames.map((name) => ({ name, message }));

const pattern = (group, message) => ({ group, message });

const noEval = { selector: "CallExpression[callee.name='eval']", message: 'No eval: the CSP forbids it and so do we.' };

const electronPatterns = [
  pattern(['electron', 'electron/*'], "Only electron/main.ts and electron/preload.ts import 'electron'; everything else also runs in the web host and the CLI."),
  pattern(['**/renderer/**'], 'electron/ never imports renderer/.'),
  // One error type on the Node side: services and handlers throw ServiceError, the router translates it.
  { group: ['**/shared/contract', '**/shared/contract/envelope'], importNames: ['HostError'], message: 'Throw ServiceError (electron/services/errors.ts); HostError is the renderer’s.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    // The two classic hook rules: hooks in a stable order, effects that name what they read.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', noEval],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: builtinPaths('shared/ is pure TypeScript: no Node built-ins.'),
          patterns: [
            pattern(['node:*'], 'shared/ is pure TypeScript: no Node built-ins.'),
            pattern(['electron', 'electron/*', 'react', 'react-dom', 'react/*', 'react-dom/*', 'chart.js', 'chart.js/*', 'better-sqlite3', 'serialport', '@serialport/*', 'ws'], 'shared/ imports no runtime-specific package.'),
            pattern(['../../electron/*', '../../renderer/*', '../../test/*', '../../resources/*', '../../build/*', '../../../*', '../../*.json'], 'shared/ imports nothing outside shared/.'),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: builtinPaths('renderer/ runs in a sandboxed browser page: no Node built-ins.'),
          patterns: [
            pattern(['node:*'], 'renderer/ runs in a sandboxed browser page: no Node built-ins.'),
            pattern(['electron', 'electron/*', 'better-sqlite3', 'serialport', '@serialport/*', 'ws'], 'renderer/ never imports Electron or Node-side packages; use the HostClient.'),
            pattern(['**/electron/**', '../electron', '../../electron'], 'renderer/ never imports electron/; go through the contract.'),
          ],
        },
      ],
    },
  },
  {
    // No module-level mutable state in services: what a service keeps belongs to its instance, made
    // by the composition root for one data folder. (A worker thread's entry file is its own process
    // of sorts; the instruments service is being moved onto this rule separately.)
    files: ['electron/services/**/*.ts'],
    ignores: ['electron/services/instruments/**', 'electron/services/rl/worker.ts', 'electron/services/store/writer-worker.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        noEval,
        { selector: "Program > VariableDeclaration[kind='let'], Program > ExportNamedDeclaration > VariableDeclaration[kind='let']", message: 'No module-level mutable state in services: keep it in an instance the composition root makes.' },
        {
          selector: "Program > VariableDeclaration > VariableDeclarator > NewExpression.init[callee.name=/^(Map|Set|WeakMap|WeakSet|Array)$/]",
          message: 'No module-level collections in services (a registry, a cache): keep them in an instance the composition root makes.',
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/services/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: electronPatterns }] },
  },
  {
    // Inside electron/, services are the bottom room: handlers, the CLI and the composition root
    // (electron/app) use them, never the other way round.
    files: ['electron/services/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...electronPatterns,
            pattern(['**/handlers', '**/handlers/**'], 'services/ never imports handlers/: the composition root (electron/app) wires them together.'),
            pattern(['**/cli', '**/cli/**', '**/cli.ts', '../cli', '../../cli'], 'services/ never imports the CLI; shared work lives in services/ (e.g. services/fit) and the CLI uses it.'),
            pattern(['**/app/**', '../app', '../../app'], 'services/ never imports the composition root (electron/app).'),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [pattern(['**/renderer/**'], 'electron/ never imports renderer/.')] }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
