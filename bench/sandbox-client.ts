import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRequest, BenchResponse, SandboxReady } from './protocol.js';

/**
 * The child's environment: the benchmark's, without a heap limit given for the pipeline's process
 * (`NODE_OPTIONS=--max-old-space-size=…`). The sandbox stands in for Zendesk and holds a whole
 * generated account; the limit measures the pipeline, not it.
 */
export const sandboxEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const given = (env.NODE_OPTIONS ?? '').split(/\s+/).filter((o) => o !== '');
  const kept: string[] = [];
  for (let i = 0; i < given.length; i++) {
    const option = given[i]!;
    if (/^--max[-_]old[-_]space[-_]size=/.test(option)) continue;
    // The value given as the next word.
    if (/^--max[-_]old[-_]space[-_]size$/.test(option)) i++;
    else kept.push(option);
  }
  const options = kept.join(' ');
  const { NODE_OPTIONS: _given, ...rest } = env;
  return options === '' ? rest : { ...rest, NODE_OPTIONS: options };
};

/**
 * A sandbox account in a child process (bench/sandbox-process.ts), anchored at `now`, and a typed
 * request/answer over its IPC channel.
 */
export const startSandboxProcess = async (size: string, seed: number, now: string) => {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./sandbox-process.ts', import.meta.url)),
    [size, String(seed), now],
    {
      execArgv: ['--import', 'tsx'],
      env: sandboxEnv(process.env),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  let readyAt = 0;
  const ready = await new Promise<SandboxReady>((resolve, reject) => {
    child.once('message', (m) => {
      readyAt = performance.now();
      resolve(m as SandboxReady);
    });
    child.once('exit', (code) =>
      reject(new Error(`the sandbox process exited with ${code} before it was ready`)),
    );
  });
  // The child answers in order, one question at a time: questions asked meanwhile wait their turn.
  let turn: Promise<unknown> = Promise.resolve();
  const ask = <T extends BenchResponse['type']>(request: BenchRequest & { type: T }) => {
    const answer = turn.then(
      () =>
        new Promise<Extract<BenchResponse, { type: T }>>((resolve) => {
          child.once('message', (m) => resolve(m as Extract<BenchResponse, { type: T }>));
          child.send(request);
        }),
    );
    turn = answer;
    return answer;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.send({ type: 'stop' } satisfies BenchRequest);
    });
  return { ready, readyAt, ask, stop };
};
