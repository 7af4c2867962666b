/**
 * The pipeline on this machine: DynamoDB Local (on `dataDir`, or in memory), the SQS emulator, a
 * secret file beside the data (0600), and the same handlers through the local runner. Everything
 * a command needs, opened once and closed once.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { lockDataDir, type DataDirLock } from '../local/data-dir-lock.js';
import { diskGuard } from '../local/disk-guard.js';
import { startLocalStack, type LocalStack } from '../local/local-stack.js';
import { localPipeline, type LocalPipeline } from '../local/pipeline.js';
import type { RunOptions } from '../local/runner.js';
import { importRunStart } from '../shared/messages/fetch-job.js';
import type { PipelineLogger } from '../shared/pipeline/deps.js';
import { IntegrationService, type CredentialChecker } from '../shared/pipeline/integrations.js';
import { sweepUnconfirmedSecrets } from '../shared/pipeline/unconfirmed-secrets.js';
import { LocalSecretStore } from '../shared/store/secret-store.js';
import { UsageError } from './errors.js';
import { LocalWebhookSecretStore, type WebhookSecretStore } from '../shared/store/webhook-secret-store.js';

export interface LocalInstallOptions {
  /** Keeps integrations, histories and credentials here across runs; in memory when absent. */
  readonly dataDir?: string;
  /**
   * Whether this command may create the install (`integration add`, `import`, `serve`, `demo`).
   * Every other command refuses a folder without one: a mistyped `--data-dir` must not silently
   * become a new, empty install.
   */
  readonly create?: boolean;
  /** What holds the data folder's lock, as another command refused meanwhile is told. */
  readonly command?: string;
  /** Free space a run keeps in hand in the data folder (bytes); below it the run stops. */
  readonly reserveBytes?: number;
  /** The command's environment, where ZENDESK_WFM_MIN_FREE_MB is read when reserveBytes is not given. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: PipelineLogger;
  /**
   * Told, one line at a time, what the person at the command should know of the install itself:
   * the secrets an interrupted `add` or `delete` left, removed (or not yet, and why); a setting
   * serve's install does not apply.
   */
  readonly notice?: (line: string) => void;
  /** Requests per minute to Zendesk's incremental exports (Zendesk allows 10, more with add-ons). */
  readonly exportRequestsPerMinute?: number;
  /** Records per export page (Zendesk's most, and the default, is 1000). */
  readonly exportPageSize?: number;
  /** Days of ticket events a first import reads before its window, for ticket state only. */
  readonly ticketStateWarmUpDays?: number;
  /** The import's clock; the wall clock by default. */
  readonly now?: () => Date;
  /** Replaces the credential check against Zendesk (a check already done before the stack started). */
  readonly checkCredentials?: CredentialChecker;
  /**
   * The install `serve` holds open, when the command runs inside serve for a client of its API:
   * the command works on it instead of opening the folder (which serve owns).
   */
  readonly lender?: InstallLender;
}

/** Lends an install already open in this process to one command; the command's close() leaves it open. */
export interface InstallLender {
  lend(options: LocalInstallOptions): LocalInstall;
}

/** What only an install kept current by `serve` does: changes take effect at once. */
export interface LiveInstall {
  /** Starts an import run of this integration now (serve's worker takes it within a second). */
  importNow(integrationId: string): Promise<void>;
}

export interface LocalInstall {
  readonly stack: LocalStack;
  readonly pipeline: LocalPipeline;
  readonly service: IntegrationService;
  /**
   * Webhook signing secrets, beside the credentials (0600), apart from them as on AWS; each call
   * checked against the integration admin policy.
   */
  readonly webhookSecrets: WebhookSecretStore;
  /** Present when `serve` holds the install and imports while it runs. */
  readonly live?: LiveInstall;
  close(): Promise<void>;
}

export const DATA_DIR_LAYOUT = {
  dynamodb: 'dynamodb',
  secrets: 'secrets.json',
  webhookSecrets: 'webhook-secrets.json',
  /** Every queued message, so a crash loses no fetched page (local/queue-journal.ts). */
  queueJournal: 'queue-journal.jsonl',
} as const;

/** Overrides the free-space reserve of a run, in MiB (a small disk, or a test's). */
export const MIN_FREE_MB_ENV = 'ZENDESK_WFM_MIN_FREE_MB';

type Env = Readonly<Record<string, string | undefined>>;

/** A whole number (0 or more) an environment variable sets; unset or empty: undefined. */
const wholeNumberFromEnv = (env: Env, name: string, unit: string): number | undefined => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw))
    throw new UsageError(`${name} must be a whole number of ${unit} (0 or more), got "${raw}"`);
  return Number(raw);
};

/** The free-space reserve ZENDESK_WFM_MIN_FREE_MB sets, in bytes; unset or empty: the default. */
export const reserveBytesFromEnv = (env: Env): number | undefined => {
  const mib = wholeNumberFromEnv(env, MIN_FREE_MB_ENV, 'MiB');
  return mib === undefined ? undefined : mib * 1048576;
};

/**
 * Caps every retry's wait, in seconds (see LocalPipelineOptions.maxRetryDelaySeconds): a failure
 * that will not heal then ends a run in seconds, not the minute and more the backoff gives it.
 */
export const MAX_RETRY_DELAY_ENV = 'ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS';

/** The cap ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS sets; unset or empty: the full backoffs. */
export const maxRetryDelayFromEnv = (env: Env): number | undefined =>
  wholeNumberFromEnv(env, MAX_RETRY_DELAY_ENV, 'seconds');

const reserveBytes = (options: LocalInstallOptions): number | undefined =>
  options.reserveBytes ?? reserveBytesFromEnv(options.env ?? process.env);

export const openLocalInstall = async (options: LocalInstallOptions = {}): Promise<LocalInstall> => {
  // Read before anything starts: a mistyped reserve is the command line's mistake, refused under
  // serve too (where serve's own settings apply), as the command says it without serve.
  const reserve = reserveBytes(options);
  const maxRetryDelaySeconds = maxRetryDelayFromEnv(options.env ?? process.env);
  // A lent install never sweeps unconfirmed secrets: another command of serve's may be between
  // storing an add's secrets and saving its integration, in this very process.
  if (options.lender) return options.lender.lend(options);
  let dynamoDir: string | undefined;
  let secretFile: string | undefined;
  let webhookSecretFile: string | undefined;
  let journalFile: string | undefined;
  let lock: DataDirLock | undefined;
  let root: string | undefined;
  if (options.dataDir !== undefined) {
    root = resolve(options.dataDir);
    dynamoDir = join(root, DATA_DIR_LAYOUT.dynamodb);
    secretFile = join(root, DATA_DIR_LAYOUT.secrets);
    webhookSecretFile = join(root, DATA_DIR_LAYOUT.webhookSecrets);
    journalFile = join(root, DATA_DIR_LAYOUT.queueJournal);
    if (options.create !== true && !existsSync(dynamoDir)) {
      // A secrets file others can read is said first: it is the graver news.
      await new LocalSecretStore(secretFile).load();
      throw new UsageError(
        `--data-dir ${options.dataDir}: there is no install in this folder; \`zendesk-wfm integration add --data-dir ${options.dataDir} …\` creates one`,
      );
    }
    await mkdir(dynamoDir, { recursive: true, mode: 0o700 });
    // Only the command's name: its other arguments may carry a secret.
    lock = lockDataDir(root, options.command ?? `zendesk-wfm ${process.argv[2] ?? ''}`.trim());
  }
  const secrets = new LocalSecretStore(secretFile);
  const webhookSecrets = new LocalWebhookSecretStore(webhookSecretFile);
  let stack: LocalStack;
  try {
    // A secrets file others can read is refused before Java starts.
    await secrets.load();
    await webhookSecrets.load();
    stack = await startLocalStack({
      ...(dynamoDir !== undefined ? { dataDir: dynamoDir } : {}),
      ...(journalFile !== undefined ? { queueJournalFile: journalFile } : {}),
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const diskHealth =
    root !== undefined
      ? diskGuard({
          dataDir: root,
          ...(stack.journal ? { journal: stack.journal } : {}),
          ...(reserve !== undefined ? { reserveBytes: reserve } : {}),
        })
      : undefined;
  const pipeline = localPipeline(stack, {
    // A dead DynamoDB Local stops the run at once: its steps would fail and retry for hours.
    checkHealth: async () => {
      const gone = stack.unexpectedDatabaseExit();
      if (gone) throw gone;
      await diskHealth?.();
    },
    secrets,
    ...(maxRetryDelaySeconds !== undefined ? { maxRetryDelaySeconds } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.exportRequestsPerMinute !== undefined || options.exportPageSize !== undefined
      ? {
          zendeskOptions: {
            ...(options.exportRequestsPerMinute !== undefined
              ? { incrementalPerMinute: options.exportRequestsPerMinute }
              : {}),
            ...(options.exportPageSize !== undefined ? { pageSize: options.exportPageSize } : {}),
          },
        }
      : {}),
    ...(options.ticketStateWarmUpDays !== undefined
      ? { settings: { ticketStateWarmUpDays: options.ticketStateWarmUpDays } }
      : {}),
  });
  const service = new IntegrationService(pipeline.admin, options.checkCredentials);
  const adminWebhookSecrets = pipeline.adminSigningSecrets(webhookSecrets);
  // The folder's lock is held: no other command's `add` or `delete` is in flight.
  await sweepUnconfirmedSecrets({
    integrations: pipeline.admin.integrations,
    now: pipeline.admin.now,
    secrets: pipeline.admin.secrets,
    webhookSecrets: adminWebhookSecrets,
  }).then(
    (removed) => {
      if (removed.length > 0)
        options.notice?.(
          `note: removed the secrets an interrupted \`integration add\` or \`integration delete\` left under ${removed.length === 1 ? 'an integration id' : `${removed.length} integration ids`} with no live integration: ${removed.join(', ')}`,
        );
    },
    // Kept for the next command: nothing is lost by sweeping later.
    (error: unknown) =>
      options.notice?.(
        `warning: the secrets an interrupted \`integration add\` or \`integration delete\` left could not be removed this time (${(error as Error).message}); the next command tries again`,
      ),
  );
  return {
    stack,
    pipeline,
    service,
    webhookSecrets: adminWebhookSecrets,
    close: async () => {
      try {
        await stack.stop();
      } finally {
        lock?.release();
      }
    },
  };
};

/** Opens an install, runs `work` with it, and always closes it (Java must not outlive the command). */
export const withLocalInstall = async <T>(
  options: LocalInstallOptions,
  work: (install: LocalInstall) => Promise<T>,
): Promise<T> => {
  const install = await openLocalInstall(options);
  try {
    return await work(install);
  } finally {
    await install.close();
  }
};

/**
 * Serve's open install, lent to the commands its API runs: each gets its own integration service
 * (with the command's credential check) and runs that stop when `signal` aborts (serve stopping, or
 * the client gone); the stack, the pipeline and the stores are serve's, so a change is seen at once
 * by serve's worker and webhook endpoint.
 */
export const installLender = (install: LocalInstall, signal: AbortSignal): InstallLender => {
  const { pipeline } = install;
  const stoppable = <R extends RunOptions>(run: R): R => ({
    ...run,
    signal: run.signal ? AbortSignal.any([run.signal, signal]) : signal,
  });
  const live: LiveInstall = {
    importNow: (integrationId) =>
      pipeline.admin.bus.sendFetchJob(
        importRunStart(integrationId, `serve-${pipeline.deps.now().toISOString()}`),
      ),
  };
  return {
    lend: (options) => {
      checkRunSettings(options);
      return {
        stack: install.stack,
        pipeline: {
          ...pipeline,
          drain: (run = {}) => pipeline.drain(stoppable(run)),
          sync: (run = {}) => pipeline.sync(stoppable(run)),
        },
        service: new IntegrationService(pipeline.admin, options.checkCredentials),
        webhookSecrets: install.webhookSecrets,
        live,
        close: () => Promise.resolve(),
      };
    },
  };
};

/** The options that set how fast a command's run reads Zendesk: its pace, not what it counts. */
const PACE_SETTINGS = [
  ['exportRequestsPerMinute', '--export-requests-per-minute'],
  ['exportPageSize', '--export-page-size'],
] as const satisfies readonly (readonly [keyof LocalInstallOptions, string])[];

/**
 * serve's pipeline runs every import with serve's own settings. A pace a command run in it sets is
 * not applied, and said so (the history is the same at any pace); a warm-up that would change what
 * the import counts is refused rather than run without it.
 */
const checkRunSettings = (options: LocalInstallOptions): void => {
  if (options.ticketStateWarmUpDays !== undefined)
    throw new UsageError(
      '--warm-up-days: the `zendesk-wfm serve` that holds this folder imports with its own warm-up; leave the option out, or stop serve to import with it',
    );
  const pace = PACE_SETTINGS.filter(([setting]) => options[setting] !== undefined).map(([, flag]) => flag);
  if (pace.length > 0)
    options.notice?.(
      `warning: ${pace.join(' and ')} not applied: the \`zendesk-wfm serve\` that holds this folder reads Zendesk at its own pace (its own options); the history is the same`,
    );
};
