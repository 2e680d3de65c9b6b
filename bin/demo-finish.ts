/**
 * The demo's last steps: the monthly seat report (text, chart PNG and CSVs written to the outputs
 * folder, mailed to finance in the SES emulator) and the verification of every audit chain the
 * run wrote (the plan's run stream and every stream about the proposal).
 */
import type { Config } from '../lambdas/config/index.js';
import { silentLogger, type Clock, type SecretResolver } from '../lambdas/shared/index.js';
import type { AuditReader } from '../lambdas/store/index.js';
import type { RuntimeEnv } from '../lambdas/wiring/index.js';
import { createReportDeps } from '../lambdas/wiring/reports.js';
import { reportCommand } from './report-run.js';

export async function seatReport(o: {
  config: Config;
  env: RuntimeEnv;
  secrets: SecretResolver;
  clock: Clock;
  outDir: string;
}): Promise<{ subject: string; files: readonly string[] }> {
  const { deps, options } = await createReportDeps({
    config: o.config,
    env: o.env,
    secrets: o.secrets,
    clock: o.clock,
    logger: silentLogger,
  });
  const run = await reportCommand(deps, options, { send: true, out: o.outDir });
  const [subject, , ...body] = run.text.split('\n');
  console.log(`  mailed to ${run.recipients.join(', ')}: ${subject}`);
  for (const l of body.filter((x) => x.trim() !== '').slice(0, 8)) console.log(`    ${l}`);
  return { subject: subject ?? '', files: run.files };
}

/** Verifies each stream's hash chain; prints one line per stream and returns whether all hold. */
export async function verifyChains(
  reader: AuditReader,
  firstStreams: readonly string[],
  proposalId: string | undefined,
): Promise<boolean> {
  const streams = new Set(firstStreams);
  if (proposalId) for await (const r of reader.byProposal(proposalId)) streams.add(r.stream);
  let ok = true;
  let records = 0;
  for (const s of streams) {
    const v = await reader.verify(s);
    records += v.records;
    if (!v.ok) {
      ok = false;
      console.log(`  ${s}: BROKEN at record ${v.problem?.seq}: ${v.problem?.message}`);
    }
  }
  const kinds: Record<string, number> = {};
  for (const s of streams) kinds[s.split('#')[0]!] = (kinds[s.split('#')[0]!] ?? 0) + 1;
  console.log(
    `  audit chains: ${streams.size} stream(s) (${Object.entries(kinds)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}), ${records} records: ${ok ? 'every chain verified' : 'NOT verified'}`,
  );
  return ok;
}
