/**
 * Approver sign-in on AWS (issue 16): the review site reads exactly one secret, the sign-in client
 * secret (by default the entra app registration's), and the stack outputs the redirect URI to
 * register; with approval.signIn off the site reads no secret and there is nothing to register.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LifecycleStack } from '../../lib/stack.js';

type Statement = { Action: string | string[]; Resource: unknown };

function synth(edit: (config: Record<string, any>) => void = () => undefined) {
  const config = JSON.parse(
    readFileSync(fileURLToPath(new URL('../../config/example.aws.json', import.meta.url)), 'utf8'),
  );
  edit(config);
  const template = Template.fromStack(new LifecycleStack(new App(), 'S', { config }));
  const secretStatements = Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith('ApprovalSiteFn'))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));
  return { template, secretStatements };
}

describe('approver sign-in in the stack', { timeout: 120_000 }, () => {
  it('by default the site may read the entra client secret only, and the redirect URI is an output', () => {
    const { template, secretStatements } = synth();
    expect(secretStatements).toHaveLength(1);
    expect([secretStatements[0]!.Action].flat()).toEqual(['secretsmanager:GetSecretValue']);
    const resources = JSON.stringify(secretStatements[0]!.Resource);
    expect(resources).toContain('atlassian-lifecycle/graph-client-secret-??????');
    expect(resources).not.toContain('atlassian-api-key');
    const outputs = template.findOutputs('*');
    const redirect = Object.entries(outputs).find(([id]) => id.includes('SignInRedirectUri'));
    expect(JSON.stringify(redirect?.[1].Value)).toContain('signin/callback');
  });

  it('a separate sign-in secret is the one granted; a custom review URL is the redirect base', () => {
    const { template, secretStatements } = synth((c) => {
      c.approval.signIn = { clientSecret: { source: 'secretsManager', secretId: 'lifecycle/sign-in' } };
      c.approval.reviewBaseUrl = 'https://review.example.com/';
    });
    expect(JSON.stringify(secretStatements.map((s) => s.Resource))).toContain('lifecycle/sign-in-??????');
    expect(JSON.stringify(secretStatements.map((s) => s.Resource))).not.toContain('graph-client-secret');
    const redirect = Object.entries(template.findOutputs('*')).find(([id]) => id.includes('SignInRedirectUri'));
    expect(redirect?.[1].Value).toBe('https://review.example.com/signin/callback');
  });

  it('with sign-in off the site reads no secret and no redirect URI is output', () => {
    const { template, secretStatements } = synth((c) => (c.approval.signIn = { mode: 'off' }));
    expect(secretStatements).toEqual([]);
    expect(Object.keys(template.findOutputs('*')).some((id) => id.includes('SignInRedirectUri'))).toBe(false);
  });

  it('refuses an env-sourced sign-in secret on AWS with the setting named', () => {
    expect(() =>
      synth((c) => (c.approval.signIn = { clientSecret: { source: 'env', name: 'SIGN_IN_SECRET' } })),
    ).toThrow(/approval\.signIn\.clientSecret must be \{"source":"secretsManager"/);
  });
});
