/*
 * Root of the ESLint cascade: every package's `.eslintrc.js` (Backstage's eslint-factory)
 * is merged with this file, so the rules here apply to every package.
 *
 * redos/no-vulnerable: a regular expression that can backtrack (super-linear time on some
 * input) fails the lint stage. recheck decides it with its automata-theoretic checker only
 * (`checker: 'automaton'`: exact and deterministic, no fuzzing), and a pattern it cannot
 * decide within the timeout is reported too (`ignoreErrors: false`): rewrite it so that it
 * can be decided (a counter such as `{40,}` is the usual cause: check the length in code).
 * Verdicts are cached in node_modules/.cache/eslint-plugin-redos, so a warm lint checks only
 * new patterns. A pattern that only ever sees fixed strings (a build-time constant, the
 * operator's app-config) may be exempted on its line with
 * `// eslint-disable-next-line redos/no-vulnerable -- <why the input is not user-controlled>`.
 *
 * Tests are exempt as a whole: their patterns match the test's own output (`toMatch`,
 * `toThrow`), never user input, and the long literal ones (`/Could not .* kept failing/`)
 * take recheck seconds each without a verdict.
 */
module.exports = {
  root: true,
  plugins: ['redos'],
  rules: {
    'redos/no-vulnerable': [
      'error',
      {
        checker: 'automaton',
        timeout: 10000,
        ignoreErrors: false,
        cache: true,
      },
    ],
  },
  overrides: [
    {
      files: [
        '**/*.test.{ts,tsx,js,mjs,cjs,mts}',
        '**/__testUtils__/**',
        '**/testUtils/**',
      ],
      rules: { 'redos/no-vulnerable': 'off' },
    },
  ],
};
