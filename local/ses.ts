import { createRequire } from 'node:module';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { freePort, waitFor } from './ports.js';
import { spawnGuarded, type GuardedProcess } from './guarded-process.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, LocalStackError } from './dynamo.js';

/** One message as the SES v2 emulator stores it (`GET /store`). */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  at: number;
}

export interface LocalSes {
  readonly endpoint: string;
  readonly process: GuardedProcess;
  client(): SESv2Client;
  /** Every message sent so far. */
  outbox(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/** What the emulator's GetAccount answers: its schema wants every field (a partial one is a 400). */
const EMULATED_ACCOUNT = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'local stack',
    WebsiteURL: 'http://127.0.0.1',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: [] },
};

/** Starts the SES v2 emulator (aws-ses-v2-local) on a free loopback port. */
export async function startSes(options: { port?: number; timeoutMs?: number } = {}): Promise<LocalSes> {
  const cli = createRequire(import.meta.url).resolve('aws-ses-v2-local/dist/cli.js');
  const port = options.port ?? (await freePort());
  const proc = await spawnGuarded(
    'SES v2 emulator',
    process.execPath,
    [cli, '--host', '127.0.0.1', '--port', String(port)],
    {
      env: {
        ...process.env,
        AWS_SES_ACCOUNT: JSON.stringify(EMULATED_ACCOUNT),
      },
    },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      'SES v2 emulator',
      async () => (await fetch(`${endpoint}/health-check`)).ok,
      options.timeoutMs ?? 45_000,
      () => proc.exited(),
    );
  } catch (err) {
    await proc.stop();
    throw new LocalStackError(`${(err as Error).message}\n${proc.output()}`);
  }
  return {
    endpoint,
    process: proc,
    client: () => new SESv2Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    async outbox() {
      const res = await fetch(`${endpoint}/store`);
      const body = (await res.json()) as { emails: StoredEmail[] };
      return body.emails;
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    stop: () => proc.stop(),
  };
}
