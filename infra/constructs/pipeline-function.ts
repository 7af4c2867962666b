import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '../function-specs.js';

/** The repository root: handlers are bundled from lambdas/ with the root's lock file. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const handlerEntry = (spec: FunctionSpec): string =>
  join(PROJECT_ROOT, 'lambdas', spec.folder, 'handler.ts');

export interface PipelineFunctionProps {
  readonly spec: FunctionSpec;
  readonly environment: Record<string, string>;
}

/**
 * A handler of lambdas/ as a Lambda, with the defaults written once: Node.js 22 on arm64, bundled by
 * the npm esbuild package (never Docker, so synthesis works offline) into one ESM file that includes
 * the AWS SDK it was tested with. ESM bundles of CommonJS dependencies call `require`, which ESM
 * lacks: the banner defines it. Logs are kept a month.
 */
export class PipelineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const { spec } = props;
    super(scope, id, {
      entry: handlerEntry(spec),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: spec.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      logGroup: new LogGroup(scope, `${id}Logs`, {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        externalModules: [],
        mainFields: ['module', 'main'],
        banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
      },
    });
  }
}
