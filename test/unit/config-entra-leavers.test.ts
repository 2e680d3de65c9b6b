/**
 * The leaver settings: `deactivateEntraDisabled` and `deactivateEntraDeleted` replace
 * `deactivateEntraLeavers` (still read, with a deprecation warning), and `entra.tenantDomains`
 * says which emails can be "deleted from Entra" at all (issue 14, finding 4).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, configDeprecations, parseConfig } from '../../lambdas/config/index.js';
import { exampleConfigJson } from '../helpers/config.js';

type Raw = Record<string, any>;

function withDeactivation(fields: Record<string, unknown>, edit: (raw: Raw) => void = () => undefined): Raw {
  const raw = exampleConfigJson();
  delete raw.deactivation.deactivateEntraLeavers;
  delete raw.deactivation.deactivateEntraDisabled;
  delete raw.deactivation.deactivateEntraDeleted;
  Object.assign(raw.deactivation, fields);
  edit(raw);
  return raw;
}

function refused(raw: Raw): ConfigError {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected the configuration to be refused');
}

afterEach(() => vi.restoreAllMocks());

describe('deactivation.deactivateEntraDisabled and deactivateEntraDeleted', () => {
  it.each<[string, Record<string, unknown>, boolean, boolean]>([
    ['neither set: both on', {}, true, true],
    ['only disabled off', { deactivateEntraDisabled: false }, false, true],
    ['only deleted off', { deactivateEntraDeleted: false }, true, false],
    ['both set', { deactivateEntraDisabled: false, deactivateEntraDeleted: true }, false, true],
    ['the deprecated key on', { deactivateEntraLeavers: true }, true, true],
    ['the deprecated key off', { deactivateEntraLeavers: false }, false, false],
  ])('%s', (_what, fields, disabled, deleted) => {
    const config = parseConfig(withDeactivation(fields));
    expect(config.deactivation.deactivateEntraDisabled).toBe(disabled);
    expect(config.deactivation.deactivateEntraDeleted).toBe(deleted);
    expect(Object.keys(config.deactivation)).not.toContain('deactivateEntraLeavers');
  });

  it('warns once that the deprecated key is read as both new ones, and says how to replace it', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const raw = withDeactivation({ deactivateEntraLeavers: false });
    expect(configDeprecations(raw)).toEqual([
      expect.stringMatching(
        /deactivation\.deactivateEntraLeavers is deprecated: read as deactivateEntraDisabled false and deactivateEntraDeleted false\. Replace it with those two fields/,
      ),
    ]);
    vi.resetModules(); // a fresh module: nothing warned yet in this process
    const fresh = await import('../../lambdas/config/load.js');
    fresh.parseConfig(raw);
    fresh.parseConfig(raw);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![1]).toMatchObject({ type: 'DeprecationWarning' });
    expect(configDeprecations(withDeactivation({ deactivateEntraDeleted: true }))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      'the deprecated key next to a new one',
      { deactivateEntraLeavers: true, deactivateEntraDeleted: false },
      'deactivation.deactivateEntraLeavers',
      /replaced by deactivateEntraDisabled and deactivateEntraDeleted.*remove deactivateEntraLeavers/,
    ],
    [
      'the deprecated key as a string',
      { deactivateEntraLeavers: 'yes' },
      'deactivation.deactivateEntraLeavers',
      /expected true or false.*deprecated: use deactivateEntraDisabled and deactivateEntraDeleted/,
    ],
    [
      'the deleted switch as a string',
      { deactivateEntraDeleted: 'no' },
      'deactivation.deactivateEntraDeleted',
      /expected true or false/,
    ],
    [
      'the disabled switch as a number',
      { deactivateEntraDisabled: 1 },
      'deactivation.deactivateEntraDisabled',
      /expected true or false/,
    ],
  ])('refuses %s, naming the field and the fix', (_what, fields, field, message) => {
    const err = refused(withDeactivation(fields));
    expect(err.problems).toEqual([expect.objectContaining({ field, message: expect.stringMatching(message) })]);
    expect(err.message).toContain(field);
  });
});

describe('entra.tenantDomains', () => {
  it('is optional (read from Microsoft Graph when absent) and lower-cased when given', () => {
    expect(parseConfig(withDeactivation({})).entra.tenantDomains).toBeUndefined();
    const config = parseConfig(
      withDeactivation({}, (r) => (r.entra.tenantDomains = ['Example.COM', 'eu.example.com'])),
    );
    expect(config.entra.tenantDomains).toEqual(['example.com', 'eu.example.com']);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an empty list', [], 'entra.tenantDomains', /name at least one domain, or leave the field out/],
    ['an email instead of a domain', ['it@example.com'], 'entra.tenantDomains.0', /expected a domain name/],
    ['a string instead of a list', 'example.com', 'entra.tenantDomains', /expected array/],
  ])('refuses %s', (_what, value, field, message) => {
    const err = refused(withDeactivation({}, (r) => (r.entra.tenantDomains = value)));
    expect(err.problems).toEqual([expect.objectContaining({ field, message: expect.stringMatching(message) })]);
  });
});
