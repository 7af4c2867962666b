import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ErrorReport } from '../../../cli/exit.js';
import { forwardToServe } from '../../../cli/forward-to-serve.js';
import type { Sandbox } from '../../../sandbox/index.js';
import {
  CLI_PATH,
  TEST_MIN_FREE_MB,
  addSandboxIntegration,
  assertBuilt,
  lines,
  runCli,
  sandboxAccountArgs,
  startCliSandbox,
  type CliRun,
  UNPACED_EXPORTS,
} from './support.js';

/**
 * A command on a folder a running `serve` owns is run by serve (cli/forward-to-serve.ts): a
 * refusal must reach the person as fully as the command run on its own says it: the same lines,
 * the same exit code, and the input field it concerns as a value for a caller that shows it there.
 */
describe('a refusal of a command sent to serve is told as the command alone tells it', () => {
  let sandbox: Sandbox;
  let dir: string;
  /** A folder no serve holds: its commands run in their own process. */
  let alone: string;
  /** A folder a serve holds: its commands are sent to serve. */
  let served: string;
  let serve: ChildProcessWithoutNullStreams | undefined;

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startCliSandbox({ seed: 7, size: 'tiny', rateLimit: false });
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-forwarded-'));
    alone = join(dir, 'alone');
    served = join(dir, 'served');
    const token = { ZENDESK_API_TOKEN: sandbox.credentials.apiToken };
    const added = await addSandboxIntegration(sandbox, ['--data-dir', alone], token);
    if (added.code !== 0) throw new Error(`integration add failed (${added.code}): ${added.stderr}`);
    serve = spawn(
      process.execPath,
      [CLI_PATH, 'serve', '--data-dir', served, '--schedule-minutes', '60', ...UNPACED_EXPORTS],
      {
        env: { ...process.env, ZENDESK_WFM_MIN_FREE_MB: TEST_MIN_FREE_MB },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    await lines(serve.stdout).next((l) => l.startsWith('Other commands on '));
    const addedUnderServe = await addSandboxIntegration(sandbox, ['--data-dir', served], token);
    if (addedUnderServe.code !== 0)
      throw new Error(
        `integration add under serve failed (${addedUnderServe.code}): ${addedUnderServe.stderr}`,
      );
  });

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      serve.kill('SIGTERM');
      await new Promise((r) => serve?.once('exit', r));
    }
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The folder named in a line is the only thing that differs between the two. */
  const told = (run: CliRun, folder: string) => ({
    code: run.code,
    stdout: run.stdout.replaceAll(folder, 'FOLDER'),
    stderr: run.stderr.replaceAll(folder, 'FOLDER'),
  });

  const account = () => sandboxAccountArgs(sandbox);
  const rightToken = () => ({ ZENDESK_API_TOKEN: sandbox.credentials.apiToken });

  it.each<[string, () => string[], () => Record<string, string>, Omit<ErrorReport, 'message'>]>([
    [
      'a name already taken: --name, exit 2',
      () => ['integration', 'add', '--name', 'Tiny', ...account()],
      rightToken,
      { exitCode: 2, field: 'name' },
    ],
    [
      'a domain without its subdomain: --domain, exit 2',
      () => [
        'integration',
        'add',
        '--name',
        'Other',
        '--domain',
        'acme',
        '--username',
        'ada@acme.example',
        '--grouping',
        'ivr',
      ],
      rightToken,
      { exitCode: 2, field: 'domain' },
    ],
    [
      'credentials Zendesk refuses: the credentials, exit 3',
      () => ['integration', 'add', '--name', 'Other', ...account()],
      () => ({ ZENDESK_API_TOKEN: 'not-the-token' }),
      { exitCode: 3, field: 'credentials' },
    ],
    [
      'a user who is not an admin: --username, exit 3',
      () => [
        'integration',
        'add',
        '--name',
        'Other',
        ...account().map((a) => (a === sandbox.credentials.email ? sandbox.credentials.agent.email : a)),
      ],
      () => ({ ZENDESK_API_TOKEN: sandbox.credentials.agent.apiToken }),
      { exitCode: 3, field: 'username' },
    ],
    [
      'a grouping strategy that cannot change once saved: --grouping, exit 2',
      () => ['integration', 'update', 'Tiny', '--grouping', 'phone_number'],
      () => ({}),
      { exitCode: 2, field: 'groupingStrategy' },
    ],
    [
      'an integration that does not exist: no field, exit 2',
      () => ['history', 'Nobody'],
      () => ({}),
      { exitCode: 2 },
    ],
  ])(
    '%s',
    async (_rule, argv, env, expected) => {
      const direct = await runCli([...argv(), '--data-dir', alone], env());
      const forwarded = await runCli([...argv(), '--data-dir', served], env());
      // Rule: every line and the exit code, as the command alone says them.
      expect(told(forwarded, served)).toEqual(told(direct, alone));
      expect(direct.code).toBe(expected.exitCode);
      const errorLine = direct.stderr
        .split('\n')
        .find((l) => l.startsWith('zendesk-wfm ') && l.includes(': error: '));
      const message = (errorLine ?? '')
        .replace(/^zendesk-wfm [a-z ]+: error: /, '')
        .replaceAll(alone, served);
      expect(message).not.toBe('');

      // Rule: a caller of the command in its process is told the failure as a value, field included.
      const failures: ErrorReport[] = [];
      const stderr: string[] = [];
      const code = await forwardToServe([...argv(), '--data-dir', served], {
        stdout: () => undefined,
        stderr: (t) => stderr.push(t),
        env: env(),
        stderrIsTty: false,
        now: () => new Date(),
        failed: (f) => failures.push(f),
      });
      expect(code).toBe(expected.exitCode);
      expect(stderr.join('').replaceAll(served, 'FOLDER')).toBe(told(direct, alone).stderr);
      expect(failures).toEqual([{ message, ...expected }]);
    },
    300_000,
  );
});
