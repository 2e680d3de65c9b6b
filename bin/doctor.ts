/**
 * `lifecycle doctor [--config FILE] [--json]`: checks, one line each, that this installation can
 * run: configuration, secrets, Atlassian key and org, directory, policies, break-glass accounts,
 * Entra credentials, Graph permissions and groups, tables, SES sender. Read-only: it changes
 * nothing anywhere (Atlassian reads, Graph reads, DescribeTable, SES GetAccount/GetEmailIdentity).
 */
import { ConfigError, loadConfigFile, loadConfigFromEnv, type Config } from '../lambdas/config/index.js';
import { silentLogger, systemClock } from '../lambdas/shared/index.js';
import { describeSecretRef, resolveSetting, type SecretResolver } from '../lambdas/shared/secrets.js';
import { awsClients, awsSecretResolver, runtimeEnv, type RuntimeEnv } from '../lambdas/wiring/index.js';
import { atlassianClientFor } from '../lambdas/wiring/plan.js';
import { atlassianChecks } from './doctor-atlassian.js';
import { fail, ok, reasonOf, skip, type CheckResult } from './doctor-checks.js';
import { entraChecks } from './doctor-entra.js';
import { sesCheck, tableChecks } from './doctor-aws.js';

export interface DoctorOptions {
  /** @default LIFECYCLE_CONFIG / LIFECYCLE_CONFIG_FILE */
  readonly configPath?: string;
  /** @default process.env */
  readonly processEnv?: NodeJS.ProcessEnv;
  /** @default Secrets Manager for `secretsManager` references, the environment for `env` ones */
  readonly secrets?: SecretResolver;
  /** Longest the Atlassian checks may take, in ms. @default 60000 */
  readonly atlassianBudgetMs?: number;
}

function loadConfig(o: DoctorOptions): { config?: Config; result: CheckResult } {
  const where =
    o.configPath ?? (o.processEnv?.LIFECYCLE_CONFIG ? 'LIFECYCLE_CONFIG' : o.processEnv?.LIFECYCLE_CONFIG_FILE);
  try {
    const config = o.configPath ? loadConfigFile(o.configPath) : loadConfigFromEnv(o.processEnv);
    return { config, result: ok('configuration', `${where} is valid (org ${config.orgId})`) };
  } catch (err) {
    const fix = 'fix the fields named above; config/example.local.json is a valid starting point';
    return {
      result: fail(
        'configuration',
        err instanceof ConfigError ? err.message.replace(/\n\s*/g, ' | ') : reasonOf(err),
        fix,
      ),
    };
  }
}

async function secret(secrets: SecretResolver, config: Config, setting: 'atlassian.apiKey' | 'entra.clientSecret') {
  const ref = setting === 'atlassian.apiKey' ? config.atlassian.apiKey : config.entra.clientSecret;
  try {
    const value = await resolveSetting(secrets, ref, setting);
    return { value, result: ok(`secret ${setting}`, `read from ${describeSecretRef(ref)}`) };
  } catch (err) {
    return {
      result: fail(
        `secret ${setting}`,
        reasonOf(err),
        `store the secret in ${describeSecretRef(ref)} or point ${setting} elsewhere`,
      ),
    };
  }
}

export async function runDoctor(o: DoctorOptions = {}): Promise<CheckResult[]> {
  const processEnv = o.processEnv ?? process.env;
  const env: RuntimeEnv = runtimeEnv(processEnv);
  const { config, result } = loadConfig({ ...o, processEnv });
  const out: CheckResult[] = [result];
  if (!config) {
    out.push(skip('Atlassian, Entra and SES checks', 'need a valid configuration'));
    return [...out, ...(await tableChecks(env))];
  }
  const secrets = o.secrets ?? awsSecretResolver(awsClients(env).secrets, processEnv);
  const key = await secret(secrets, config, 'atlassian.apiKey');
  const graph = await secret(secrets, config, 'entra.clientSecret');
  out.push(key.result, graph.result);
  const until = systemClock.now() + (o.atlassianBudgetMs ?? 60_000);
  const client =
    key.value === undefined
      ? undefined
      : atlassianClientFor(config, key.value, { clock: systemClock, logger: silentLogger, deadline: () => until });
  out.push(...(await atlassianChecks(config, client)));
  if (graph.value === undefined) out.push(skip('Entra checks', 'no client secret (see the secret line)'));
  else out.push(...(await entraChecks(config, { secrets, ...(env.graphCa && { ca: env.graphCa }) })));
  out.push(...(await tableChecks(env)));
  out.push(await sesCheck(config, env));
  return out;
}
