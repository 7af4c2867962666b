import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CommandFailedError } from '../../../cli/exit.js';
import { runThroughServe } from '../../../cli/serve-api/client.js';
import { lockDataDir } from '../../../local/data-dir-lock.js';
import { SERVE_API_FILE, type CommandRequest } from '../../../cli/serve-api/protocol.js';
import { startServeApi, type ServeApi } from '../../../cli/serve-api/server.js';

/** The API of serve (cli/serve-api): only its token opens it, and only a well-formed request runs. */
describe("serve's local API", () => {
  let dir: string;
  let api: ServeApi;
  let token: string;
  const ran: CommandRequest[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-api-'));
    ran.length = 0;
    api = await startServeApi({
      dataDir: dir,
      execute: (request, output) => {
        ran.push(request);
        output.stdout('listed\n');
        output.stderr('a warning\n');
        if (request.argv.includes('--fail'))
          output.failed?.({ message: 'wrong credentials', exitCode: 3, field: 'credentials.apiToken' });
        return Promise.resolve(request.argv.includes('--fail') ? 3 : 0);
      },
    });
    ({ token } = JSON.parse(await readFile(join(dir, SERVE_API_FILE), 'utf8')) as { token: string });
  });
  afterEach(async () => {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
    fetch(`http://127.0.0.1:${api.port}/v1/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const valid = (): CommandRequest => ({ argv: ['integration', 'list'], env: {}, dataDir: dir });

  it('writes its port and a random token to a file only its owner reads, and removes it when stopped', async () => {
    const file = JSON.parse(await readFile(join(dir, SERVE_API_FILE), 'utf8')) as unknown;
    expect(file).toEqual({ pid: process.pid, port: api.port, token: expect.stringMatching(/^[\w-]{43}$/) });
    expect((await stat(join(dir, SERVE_API_FILE))).mode & 0o777).toBe(0o600);
    await api.stop();
    expect(existsSync(join(dir, SERVE_API_FILE))).toBe(false);
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-that-must-not-be-echoed' }],
    ['the token without the Bearer scheme', undefined],
    ['a token one character short', 'short'],
  ])('refuses a request with %s: 401, nothing run, nothing sent echoed', async (_rule, headers) => {
    const sent =
      headers === undefined
        ? { authorization: token }
        : headers === 'short'
          ? { authorization: `Bearer ${token.slice(0, -1)}` }
          : headers;
    const response = await post(valid(), sent);
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(JSON.parse(text)).toEqual({
      message: "missing or wrong token: read it from the data folder's serve-api.json",
    });
    expect(text).not.toContain('wrong-token-that-must-not-be-echoed');
    expect(text).not.toContain(token.slice(0, 8));
    expect(ran).toEqual([]);
  });

  it.each([
    ['body must be JSON', 'not json', 'body: not JSON'],
    [
      'argv is required',
      { env: {}, dataDir: 'x' },
      'argv: Invalid input: expected array, received undefined',
    ],
    [
      'argv holds strings',
      { argv: [1], env: {}, dataDir: 'x' },
      'argv.0: Invalid input: expected string, received number',
    ],
    [
      'argv is not empty',
      { argv: [], env: {}, dataDir: 'x' },
      'argv: Too small: expected array to have >=1 items',
    ],
    [
      'only ZENDESK_* variables are sent',
      { argv: ['sync'], env: { PATH: '/bin' }, dataDir: 'x' },
      'env.PATH: only ZENDESK_* variables are sent',
    ],
    [
      'no unknown fields',
      { argv: ['sync'], env: {}, dataDir: 'x', cwd: '/' },
      'body: Unrecognized key: "cwd"',
    ],
  ])('refuses a malformed request (%s): 400 naming the field, nothing run', async (_rule, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message });
    expect(ran).toEqual([]);
  });

  it('answers only for its own data folder (409) and only POST /v1/commands', async () => {
    const other = await post({ ...valid(), dataDir: join(dir, 'elsewhere') });
    expect(other.status).toBe(409);
    expect(((await other.json()) as { message: string }).message).toBe(
      `dataDir: this serve holds ${dir}, not ${join(dir, 'elsewhere')}`,
    );
    const get = await fetch(`http://127.0.0.1:${api.port}/v1/commands`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(get.status).toBe(405);
    const elsewhere = await fetch(`http://127.0.0.1:${api.port}/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(elsewhere.status).toBe(404);
    expect(ran).toEqual([]);
  });

  it("runs a well-formed request and streams the command's output, its failure as a value (the field it concerns) and exit code to the client", async () => {
    const written: unknown[] = [];
    const request = { argv: ['sync', '--fail'], env: { ZENDESK_API_TOKEN: 't' }, dataDir: dir };
    const exitCode = await runThroughServe({ pid: process.pid, port: api.port, token }, request, {
      stdout: (t) => written.push(`out:${t}`),
      stderr: (t) => written.push(`err:${t}`),
      failed: (f) => written.push(f),
    });
    expect(exitCode).toBe(3);
    expect(written).toEqual([
      'out:listed\n',
      'err:a warning\n',
      { message: 'wrong credentials', exitCode: 3, field: 'credentials.apiToken' },
    ]);
    expect(ran).toEqual([request]);
  });

  it('a client with a wrong token is told in plain words, without the token', async () => {
    const run = runThroughServe({ pid: process.pid, port: api.port, token: 'x'.repeat(43) }, valid(), {
      stdout: () => undefined,
      stderr: () => undefined,
    });
    await expect(run).rejects.toThrow(
      "`zendesk-wfm serve` refused the command (401): missing or wrong token: read it from the data folder's serve-api.json",
    );
  });
});

describe("serve's local API while a command runs", () => {
  let dir: string;
  let api: ServeApi;
  let token: string;
  let aborted: Promise<void>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-api-'));
    let ended: () => void = () => undefined;
    aborted = new Promise<void>((resolve) => (ended = resolve));
    api = await startServeApi({
      dataDir: dir,
      // A long run (a first import): it writes, then ends only when its signal aborts.
      execute: (_request, output, signal) =>
        new Promise<number>((done) => {
          output.stderr('progress: 1 page\n');
          signal.addEventListener('abort', () => {
            ended();
            done(0);
          });
        }),
    });
    ({ token } = JSON.parse(await readFile(join(dir, SERVE_API_FILE), 'utf8')) as { token: string });
  });
  afterEach(async () => {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serve stopping ends the run in hand, and its client is told so with exit 1', async () => {
    const stderr: string[] = [];
    const run = runThroughServe(
      { pid: process.pid, port: api.port, token },
      { argv: ['sync'], env: {}, dataDir: dir },
      { stdout: () => undefined, stderr: (t) => stderr.push(t) },
    );
    await new Promise<void>((resolve) => {
      const wait = () => (stderr.length > 0 ? resolve() : setTimeout(wait, 2));
      wait();
    });
    await api.stop();
    await aborted;
    expect(await run).toBe(1);
    expect(stderr).toEqual([
      'progress: 1 page\n',
      'serve stopped before the command finished: what it started stays queued and is carried on by the next `serve` or command on this folder\n',
    ]);
  });

  it('a client that goes away (Ctrl-C) ends its run in serve', async () => {
    const request = new AbortController();
    const response = await fetch(`http://127.0.0.1:${api.port}/v1/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv: ['sync'], env: {}, dataDir: dir }),
      signal: request.signal,
    });
    expect(response.status).toBe(200);
    request.abort();
    await aborted;
  });
});

describe('a serve that does not answer a command (its client told which, in plain words)', () => {
  let dir: string;
  let server: Server;
  let port: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-api-'));
    // A serve killed as the command reached it: the connection is reset, no answer.
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const sent = async (pid: number) => {
    const stderr: string[] = [];
    const outcome = await runThroughServe(
      { pid, port, token: 't'.repeat(43) },
      { argv: ['sync'], env: {}, dataDir: dir },
      { stdout: () => undefined, stderr: (t) => stderr.push(t) },
    ).then(
      (code) => ({ code }),
      (error: CommandFailedError) => ({ message: error.message, exitCode: error.exitCode }),
    );
    return { outcome, stderr };
  };

  it('gone (killed mid-command, its lock left behind): serve stopped, exit 1, carried on by the next command', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    await writeFile(
      join(dir, 'lock.json'),
      `${JSON.stringify({ pid: dead, host: hostname(), command: 'zendesk-wfm serve', since: '2026-12-07T00:00:00.000Z' })}\n`,
    );
    expect((await sent(dead)).outcome).toEqual({
      message:
        '`zendesk-wfm serve` stopped before the command finished: what it started stays queued and is carried on by the next `serve` or command on this folder',
      exitCode: 1,
    });
  });

  it('killed while it answered (the answer cut off after a line of output): serve stopped, exit 1, not a raw "aborted"', async () => {
    const answering = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ stderr: 'progress: 1 page\n' })}\n`, () => res.socket?.destroy());
    });
    await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
    try {
      const stderr: string[] = [];
      const outcome = await runThroughServe(
        { pid: process.pid, port: (answering.address() as AddressInfo).port, token: 't'.repeat(43) },
        { argv: ['sync'], env: {}, dataDir: dir },
        { stdout: () => undefined, stderr: (t) => stderr.push(t) },
      ).then(
        (code) => ({ code }),
        (error: CommandFailedError) => ({ message: error.message, exitCode: error.exitCode }),
      );
      expect({ outcome, stderr }).toEqual({
        outcome: {
          message:
            '`zendesk-wfm serve` stopped before the command finished: what it started stays queued and is carried on by the next `serve` or command on this folder',
          exitCode: 1,
        },
        stderr: ['progress: 1 page\n'],
      });
    } finally {
      await new Promise((resolve) => answering.close(resolve));
    }
  });

  it('still holding the folder: busy, exit 4, wait for it or stop it', async () => {
    const lock = lockDataDir(dir, 'zendesk-wfm serve');
    try {
      const { outcome } = await sent(process.pid);
      expect(outcome).toEqual({
        message: `\`zendesk-wfm serve\` (pid ${process.pid}) holds ${dir} but its API on 127.0.0.1:${port} did not answer (ECONNRESET); wait for it or stop it first`,
        exitCode: 4,
      });
    } finally {
      lock.release();
    }
  });
});
