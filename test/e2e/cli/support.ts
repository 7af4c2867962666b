import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built command, as a person runs it: `node dist/cli/main.js …` in a child process. */
export const CLI_PATH = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

export const assertBuilt = (): void => {
  if (!existsSync(CLI_PATH))
    throw new Error(`${CLI_PATH} does not exist: run \`npm run build\` first (\`npm test\` does it)`);
};

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command to its end; the environment carries no Zendesk secrets unless given. */
export const runCli = (args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('ZENDESK_')),
    ) as Record<string, string>;
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });

/** `integration add` of the sandbox's account as "Tiny" (grouped by IVR, from its default window start). */
export const addSandboxIntegration = (
  sandbox: { baseUrl: string; credentials: { email: string }; importWindow: { since: string } },
  dataDir: readonly string[],
  env: Record<string, string>,
): Promise<CliRun> =>
  runCli(
    [
      'integration',
      'add',
      ...dataDir,
      '--name',
      'Tiny',
      '--base-url',
      sandbox.baseUrl,
      '--username',
      sandbox.credentials.email,
      '--grouping',
      'ivr',
      '--since',
      sandbox.importWindow.since,
    ],
    env,
  );
