import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listensOn } from '../../../local/port-listener.js';

/**
 * Rule (an answer on our port is ours only if we listen there): whose listening socket a port is
 * comes from /proc; the test machine is Linux, as CI is.
 */
describe('listensOn', () => {
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

  it('is true for the process whose socket listens on the port', () => {
    expect(listensOn(process.pid, port)).toBe(true);
  });

  it('is false for another process, alive, that does not listen there', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    try {
      expect(listensOn(other.pid as number, port)).toBe(false);
    } finally {
      const exited = new Promise((resolve) => other.once('exit', resolve));
      other.kill('SIGKILL');
      await exited;
    }
  });

  it('is false for a port nobody listens on, and for a pid that is gone', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freed = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(listensOn(process.pid, freed)).toBe(false);
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    expect(listensOn(gone.pid as number, port)).toBe(false);
  });
});
