import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';

const javaProcessesOnPort = (port: string): string[] =>
  execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port} `));

const reapersOfPort = (port: string): string[] =>
  execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('zendesk-wfm-dynamodb-local-reaper') && line.includes(` -port ${port} `));

const refusesConnections = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

/** Resolves once `check()` holds, checked every 100 ms: an awaited condition (the test's timeout bounds it). */
const until = async (check: () => Promise<boolean> | boolean): Promise<void> => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
};

/** Runs a support script until it dies; resolves with the JSON line it printed and how it ended. */
const runUntilDeath = <T>(args: readonly string[], env: NodeJS.ProcessEnv = process.env) =>
  new Promise<{ said: T; exit: number | null; signal: string | null }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (exit, signal) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return reject(new Error(`${args[0]} printed no JSON line: ${out}`));
      resolve({ said: JSON.parse(line) as T, exit, signal });
    });
  });

const runAndDie = async (how: 'throw' | 'sigkill') => {
  const { said, exit, signal } = await runUntilDeath<{ dynamodb: string }>([
    'test/support/start-stack-then-die.ts',
    how,
  ]);
  return { endpoint: said.dynamodb, exit, signal };
};

describe('the embedded stand-in leaves no process behind', () => {
  const deaths: [how: 'throw' | 'sigkill', exit: number | null, signal: string | null][] = [
    ['throw', 1, null],
    ['sigkill', null, 'SIGKILL'],
  ];
  it.each(deaths)(
    'when its owner dies by %s without stopping it',
    async (how, expectedExit, expectedSignal) => {
      const { endpoint, exit, signal } = await runAndDie(how);
      expect({ exit, signal }).toEqual({ exit: expectedExit, signal: expectedSignal });
      const port = new URL(endpoint).port;
      // Java gets up to 60 s after SIGTERM to close its database before the reaper kills it.
      await until(() => javaProcessesOnPort(port).length === 0);
      expect(javaProcessesOnPort(port)).toEqual([]);
      await until(() => refusesConnections(Number(port)));
      expect(await refusesConnections(Number(port))).toBe(true);
    },
    120_000,
  );
});

describe('DynamoDB Local whose owner dies the moment it starts the reaper', () => {
  it('is stopped all the same: the reaper, finding its owner gone, stops Java', async () => {
    // Without the JVM options the test run sets: the JVM says it picked them up on its stderr, the
    // broken pipe to the dead owner, which would end Java by itself however the reaper behaved.
    const { JAVA_TOOL_OPTIONS: _options, ...env } = process.env;
    const { said, signal } = await runUntilDeath<{ port: string }>(
      ['test/support/die-as-dynamodb-local-starts.ts'],
      env,
    );
    const { port } = said;
    expect(signal).toBe('SIGKILL');
    // Java may not even have started by now; it is stopped once it has, however long that takes.
    await until(() => javaProcessesOnPort(port).length === 0 && reapersOfPort(port).length === 0);
    expect(javaProcessesOnPort(port)).toEqual([]);
  }, 120_000);
});

describe('a stand-in that fails to start', () => {
  it('stops the half that started: the process ends with the error instead of staying up', async () => {
    const result = await new Promise<{ code: number | null; err: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/start-stack-that-fails.ts'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, err }));
    });
    expect(result.code).toBe(1);
    expect(result.err).toContain('ENOTDIR');
  });
});

describe('stopping the embedded stand-in', () => {
  it('settles a top-level await: the script prints its last line and exits 0', async () => {
    const result = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/stop-at-top-level.ts'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, out }));
    });
    expect(result).toEqual({ code: 0, out: 'stopped\n' });
  });
});
