import { describe, expect, it } from 'vitest';
import { checkJava } from '../../local/dynamo.js';

describe('local stack prerequisites', () => {
  it('says how to install Java when it is missing', () => {
    expect(() => checkJava({ PATH: '/nonexistent' })).toThrow(/apt-get install -y openjdk-17-jre-headless/);
  });
});
