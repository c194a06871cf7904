// ESLint flat config: the rules of the house (docs/architecture.md) that a machine can check.
//  - src and test: @eslint/js and typescript-eslint's recommended rules (syntax-only: no type information, so lint stays fast)
//  - src: the size limits (600 lines/file, 100 lines/function, 140 chars/line), no import cycles (import-x/no-cycle,
//    value imports; scripts/import-graph.mjs counts type-only cycles too), and the room boundaries (ecsx/rooms,
//    generated per folder from scripts/rooms.mjs — the same rules scripts/import-graph.mjs applies)
//  - scripts, bench and the root *.mjs: @eslint/js recommended with Node globals
// Every rule is an error. Run: npm run lint.
import js from '@eslint/js'
import {createTypeScriptImportResolver} from 'eslint-import-resolver-typescript'
import {defineConfig} from 'eslint/config'
import importX from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

import ecsx from './scripts/eslint-rooms.mjs'
import {ROOMS} from './scripts/rooms.mjs'

export default defineConfig(
  {linterOptions: {reportUnusedDisableDirectives: 'error'}},
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**', 'bench/.out/**', '.ecsx-demo/**']},
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {globals: globals.node},
    rules: {
      // `_`-prefixed names are deliberately unused (callbacks that must take a position, destructured leftovers).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true},
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: {'import-x': importX, ecsx},
    settings: {
      // import-x parses each imported module itself: it needs the TypeScript parser and a resolver that maps the
      // `.js` specifiers of ESM TypeScript to their `.ts` sources.
      'import-x/parsers': {'@typescript-eslint/parser': ['.ts']},
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/resolver-next': [createTypeScriptImportResolver({project: 'tsconfig.json'})],
    },
    rules: {
      'max-lines': ['error', {max: 600, skipBlankLines: false, skipComments: false}],
      'max-lines-per-function': ['error', {max: 100, skipBlankLines: false, skipComments: false, IIFEs: true}],
      'max-len': ['error', {code: 140, tabWidth: 2, ignoreUrls: true}],
      'import-x/no-cycle': ['error', {ignoreExternal: true}],
    },
  },
  // One block per room, so `eslint --print-config <file>` shows which boundary a file lives under.
  ...ROOMS.map((room) => ({
    name: `ecsx/rooms: ${room.name}`,
    files: [`${room.path}**/*.ts`],
    plugins: {ecsx},
    rules: {'ecsx/rooms': ['error', {room: room.name}]},
  })),
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', '*.mjs', 'bin/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {globals: globals.node},
    rules: {'no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}]},
  },
)
