import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listenerOf } from '../../../local/port-listener.js';

/**
 * Rule (an answer on our port is ours only if we listen there): whose listening socket a port is
 * comes from /proc; the test machine is Linux, as CI is.
 */
/** Sends the signal and resolves once the process has exited. */
const stopped = async (child: ChildProcess, signal: NodeJS.Signals) => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
};

describe('listenerOf', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('is this process for the process whose socket listens on the port', () => {
    expect(listenerOf(process.pid, port)).toBe('this process');
  });

  it('is another process for a process, alive, that does not listen there', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    try {
      expect(listenerOf(other.pid as number, port)).toBe('another process');
    } finally {
      await stopped(other, 'SIGKILL');
    }
  });

  it('is this process for a process whose child listens (a `java` that is a wrapper starting the JVM)', async () => {
    // The wrapper starts a child that listens on a free port and says it on stdout.
    const wrapper = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, ['-e', "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => console.log(s.address().port))"], { stdio: ['ignore', 'inherit', 'ignore'] }); setInterval(() => undefined, 1000); process.on('SIGTERM', () => { c.kill('SIGKILL'); process.exit(0); });`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      const childPort = await new Promise<number>((resolve) =>
        wrapper.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
      );
      expect(listenerOf(wrapper.pid as number, childPort)).toBe('this process');
    } finally {
      await stopped(wrapper, 'SIGTERM');
    }
  });

  it('is another process for a pid that is gone (it holds no socket)', async () => {
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    expect(listenerOf(gone.pid as number, port)).toBe('another process');
  });

  it('is unknown for a port /proc lists no listener on (asked only once something answered there)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freed = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(listenerOf(process.pid, freed)).toBe('unknown');
  });
});
