/**
 * The `lifecycle` program: global options, help and exit codes, and the list of commands. Each
 * command is a module `bin/cli/<command>.ts` exporting `register(program)`; add new ones here.
 */
import { Command } from 'commander';
import { EXIT_CODES_HELP } from './common.js';
import * as approve from './approve.js';
import * as audit from './audit.js';
import * as doctor from './doctor.js';
import * as execute from './execute.js';
import * as explain from './explain.js';
import * as local from './local.js';
import * as plan from './plan.js';
import * as proposals from './proposals.js';
import * as report from './report.js';
import * as seats from './seats.js';
import * as undo from './undo.js';

export interface CommandModule {
  register(program: Command): void;
}

/** The commands, in the order `lifecycle --help` lists them. */
export const COMMANDS: readonly CommandModule[] = [
  plan,
  proposals,
  approve,
  explain,
  execute,
  undo,
  audit,
  seats,
  report,
  doctor,
  local,
];

const ENVIRONMENT_HELP = `
Configuration: --config FILE, or LIFECYCLE_CONFIG (JSON) / LIFECYCLE_CONFIG_FILE (path).
Tables: LIFECYCLE_TABLE_STATE, LIFECYCLE_TABLE_AUDIT, LIFECYCLE_TABLE_SEATS (or LIFECYCLE_TABLE_PREFIX);
LIFECYCLE_DYNAMODB_ENDPOINT for a local DynamoDB; LIFECYCLE_REVIEW_BASE_URL (the stack's ReviewUrl
output) and LIFECYCLE_SES_ENDPOINT (the SES emulator) for mail; LIFECYCLE_GRAPH_CA (PEM) to trust a
local Graph simulator's certificate.`;

export function buildProgram(): Command {
  const program = new Command('lifecycle')
    .description('Bulk user-lifecycle jobs for an Atlassian Cloud org: plan, approve, execute, audit, report.')
    .option('--config <file>', 'configuration file (default: LIFECYCLE_CONFIG or LIFECYCLE_CONFIG_FILE)')
    .option('--json', 'print the result as JSON on stdout (for scripts)')
    .option('--verbose', 'log lines (JSON, on stderr) down to debug level')
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText('after', `${EXIT_CODES_HELP}\n${ENVIRONMENT_HELP}`)
    .exitOverride();
  for (const c of COMMANDS) c.register(program);
  for (const cmd of program.commands) applyDefaults(cmd);
  return program;
}

/** Every command (and subcommand): exit-code help, refusal of unknown options and extra arguments. */
function applyDefaults(cmd: Command): void {
  cmd.exitOverride().showHelpAfterError(`(run "lifecycle ${fullName(cmd)} --help" for usage)`);
  cmd.allowExcessArguments(false).allowUnknownOption(false);
  cmd.addHelpText('after', EXIT_CODES_HELP);
  for (const sub of cmd.commands) applyDefaults(sub);
}

function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
