// Lint: typescript-eslint's recommended rules, plus the project's one architectural rule:
// only the thin Electron shell may import 'electron' (everything else must run under plain Node).
import tseslint from 'typescript-eslint';

const SHELL_FILES = ['src/main/index.ts', 'src/main/window.ts', 'src/main/ipc/**', 'src/main/shell/**', 'src/preload/**'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'models/**', 'test-artifacts/**', 'bench-results/**', 'build/native/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only the Electron shell (src/main/index.ts, window.ts, ipc/, shell/, preload/) may import electron.' }] },
      ],
    },
  },
  { files: SHELL_FILES, rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['tests/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
