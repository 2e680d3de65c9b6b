import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE } from './bundle-options.js';

export interface LifecycleFunctionProps {
  /** Handler file under lambdas/handlers, without extension (e.g. "plan"). */
  readonly handler: string;
  /**
   * The exported function to invoke.
   * @default "handler"
   */
  readonly exportName?: string;
  readonly environment: Record<string, string>;
  /** @default Duration.minutes(15) */
  readonly timeout?: Duration;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  /** @default ARM_64 */
  readonly architecture?: lambda.Architecture;
  /**
   * Packages left out of the bundle and copied, as installed here, into its node_modules (native
   * modules esbuild cannot bundle); they must be installed for the function's architecture.
   * @default none
   */
  readonly copyModules?: readonly string[];
  /** Files copied into the bundle's root, by absolute path. @default none */
  readonly copyFiles?: readonly string[];
}

/**
 * One of the product's functions: Node.js 22 on arm64, bundled by the local esbuild (no Docker),
 * as an ES module, with its own log group kept for a year.
 */
export class LifecycleFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: LifecycleFunctionProps) {
    super(scope, id);
    if (!/^[a-z-]+$/.test(props.handler))
      throw new Error(`LifecycleFunction handler must name a file in lambdas/handlers (got "${props.handler}")`);
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: fileURLToPath(new URL(`../lambdas/handlers/${props.handler}.ts`, import.meta.url)),
      handler: props.exportName ?? 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: props.memorySize ?? 1024,
      ...(props.reservedConcurrentExecutions !== undefined && {
        reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      }),
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR }),
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE.target,
        sourceMap: true,
        mainFields: [...BUNDLE.mainFields],
        banner: BUNDLE.banner,
        externalModules: [...BUNDLE.external, ...(props.copyModules ?? [])],
        ...((props.copyModules?.length || props.copyFiles?.length) && {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_in: string, out: string) => [
              ...(props.copyModules ?? []).map(
                (m) =>
                  `mkdir -p "${out}/node_modules/${dirname(m)}" && cp -R "${dirname(createRequire(import.meta.url).resolve(`${m}/package.json`))}" "${out}/node_modules/${m}"`,
              ),
              ...(props.copyFiles ?? []).map((f) => `cp "${f}" "${out}/"`),
            ],
          },
        }),
      },
    });
  }
}
