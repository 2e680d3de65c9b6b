import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.local/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object, not an enum (STYLE.md).' },
      ],
    },
  },
  {
    // Tests poke at raw JSON on purpose.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Nothing under lambdas/ depends on Lambda or CDK (DESIGN.md); handlers declare the event shapes they read.
    files: ['lambdas/**/*.ts'],
    ignores: ['lambdas/handlers/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'aws-lambda'] }],
    },
  },
  {
    // The core (domain, rules, use cases) talks to the world through ports only: no AWS SDK, CDK,
    // Lambda or HTTP, and no adapter or composition root (DESIGN.md, "Layout"). Adapters live in
    // store/, mail/ses-mailer.ts, atlassian/, entra/; wiring/ builds them. mail/ (layout, CSV, the
    // results email) is shared by the use cases and held to the same rule.
    files: [
      'lambdas/domain/**/*.ts',
      'lambdas/rules/**/*.ts',
      'lambdas/plan/**/*.ts',
      'lambdas/approval/**/*.ts',
      'lambdas/execute/**/*.ts',
      'lambdas/reports/**/*.ts',
      'lambdas/mail/**/*.ts',
      'lambdas/audit/**/*.ts',
    ],
    // The SES adapter sits beside the emails it sends; wiring/ builds it.
    ignores: ['lambdas/mail/ses-mailer.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'aws-lambda'],
              message: 'The core talks to AWS through a port in lambdas/domain/ports.ts; the adapter lives outside it.',
            },
            {
              group: ['node:http', 'node:https', 'http', 'https', 'node:http2', 'http2', 'undici'],
              message: 'The core does not speak HTTP; an adapter (or local/) does.',
            },
            {
              regex: '(^|/)(store|wiring|handlers)(/|$)',
              message: 'The core depends on ports, not on adapters or the composition root.',
            },
          ],
        },
      ],
    },
  },
);
