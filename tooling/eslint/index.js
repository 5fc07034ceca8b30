// Shared flat config: type-checked typescript-eslint rules for every package.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** @param {string} tsconfigRootDir */
export function config(tsconfigRootDir) {
  return tseslint.config(
    { ignores: ['**/dist/**', '**/.cache/**', '**/node_modules/**', '**/*.config.ts', '**/*.js'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: { parserOptions: { projectService: true, tsconfigRootDir } },
      rules: {
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/no-misused-promises': 'error',
        '@typescript-eslint/switch-exhaustiveness-check': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/no-explicit-any': 'error',
        // `interface User extends InferEntity<typeof User> {}` gives entities one name for value and type.
        '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
        '@typescript-eslint/require-await': 'off',
        // Only config.ts files read the environment (one config loader per app).
        'no-restricted-properties': [
          'error',
          { object: 'process', property: 'env', message: 'Read configuration through config.ts only.' },
        ],
      },
    },
    {
      files: ['**/config.ts', '**/*.test.ts', '**/test/**', '**/scripts/**', '**/bench/**', '**/e2e/**'],
      rules: { 'no-restricted-properties': 'off' },
    },
    {
      files: ['**/*.test.ts', '**/test/**'],
      rules: {
        '@typescript-eslint/no-non-null-assertion': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/unbound-method': 'off',
      },
    },
  );
}
