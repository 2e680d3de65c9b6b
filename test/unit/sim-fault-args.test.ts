import { describe, expect, it } from 'vitest';
import { atlassianFaults, graphFaults, readFaultsArg } from '../sim/fault-args.js';

describe("the simulators' --faults option", () => {
  it('passes the documented Atlassian faults through', () => {
    const faults = atlassianFaults(
      readFaultsArg(
        '{"users-read":{"status5xxRate":0.1,"resetRate":0.05,"delayMs":200,"storm429":20,"malformedPages":{"kind":"truncated-json","pages":[2],"times":1}},"policy":{"taskFailures":{"rate":0.2}}}',
      ),
    );
    expect(faults['users-read']).toMatchObject({ status5xxRate: 0.1, storm429: 20 });
    expect(faults.policy?.taskFailures?.rate).toBe(0.2);
  });

  it.each([
    ['{"users-reed":{}}', /unknown key\(s\) users-reed/],
    ['{"users-read":{"status5xx":0.1}}', /users-read: unknown key\(s\) status5xx/],
    ['{"users-read":{"resetRate":2}}', /users-read\.resetRate must be within 0\.\.1, got 2/],
    [
      '{"users-read":{"malformedPages":{"kind":"html"}}}',
      /malformedPages\.kind must be truncated-json or missing-field/,
    ],
    ['{oops', /--faults: not valid JSON/],
    ['@/nonexistent/faults.json', /--faults: cannot read \/nonexistent\/faults\.json \(ENOENT\)/],
  ])('refuses Atlassian faults %s naming the key', (text, message) => {
    expect(() => atlassianFaults(readFaultsArg(text))).toThrow(message);
  });

  it('passes Graph rules through and refuses a bad one naming it', () => {
    expect(
      graphFaults(readFaultsArg('[{"fault":{"kind":"throttle","retryAfterSeconds":5},"routes":["batch"],"times":3}]')),
    ).toHaveLength(1);
    expect(() => graphFaults(readFaultsArg('[{"fault":{"kind":"boom"}}]'))).toThrow(
      /rule 0\.fault\.kind must be one of/,
    );
    expect(() => graphFaults(readFaultsArg('[{"fault":{"kind":"reset"},"routes":["members"]}]'))).toThrow(
      /rule 0\.routes/,
    );
    expect(() => graphFaults(readFaultsArg('{"fault":{}}'))).toThrow(/expected a JSON array/);
  });
});
