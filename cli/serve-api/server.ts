import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ErrorReport } from '../exit.js';
import {
  COMMANDS_PATH,
  MAX_REQUEST_BYTES,
  SERVE_API_FILE,
  commandRequestSchema,
  describeIssues,
  type ApiRefusal,
  type CommandFrame,
  type CommandRequest,
} from './protocol.js';

/** Where a command run for a client writes: each write becomes a frame of the response. */
export interface CommandOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** A failed command's failure as a value (beside its line on stderr). */
  readonly failed?: (failure: ErrorReport) => void;
}

export interface ServeApiOptions {
  /** The data folder serve holds (resolved): the API file goes there, and only it is served. */
  readonly dataDir: string;
  /** Runs one command; `signal` aborts when serve stops or the client goes away. Resolves its exit code. */
  readonly execute: (request: CommandRequest, output: CommandOutput, signal: AbortSignal) => Promise<number>;
}

export interface ServeApi {
  /** On 127.0.0.1 only. */
  readonly port: number;
  /** Removes the API file, stops the commands in hand (their runs end early, their work stays queued) and closes. */
  stop(): Promise<void>;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

const refuse = (res: ServerResponse, status: number, message: string): void => {
  const body: ApiRefusal = { message };
  // The connection is closed: a refused client's unread body is not worth reading.
  res
    .writeHead(status, { 'content-type': 'application/json', connection: 'close' })
    .end(JSON.stringify(body));
};

const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });

const sameFolder = (a: string, b: string): boolean => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

/**
 * Serve's API for the other commands on its data folder (protocol.ts): loopback only, every request
 * authenticated by the token of the API file (compared in constant time; a refusal names the field
 * at fault, never the token or the command line), its body checked field by field before anything runs.
 */
export const startServeApi = async (options: ServeApiOptions): Promise<ServeApi> => {
  const token = randomBytes(32).toString('base64url');
  const expected = digest(token);
  const authorized = (header: string | undefined): boolean => {
    const given = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };
  const stopping = new AbortController();
  // Commands being run: stopping waits for them (their runs end early), never for a client.
  const running = new Set<Promise<void>>();

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!authorized(req.headers.authorization))
      return refuse(res, 401, "missing or wrong token: read it from the data folder's serve-api.json");
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== COMMANDS_PATH)
      return refuse(res, 404, `no such resource; commands are posted to ${COMMANDS_PATH}`);
    if (req.method !== 'POST') return refuse(res, 405, `${COMMANDS_PATH} takes POST`);
    const body = await readBody(req);
    if (body === undefined) return refuse(res, 413, `the request is larger than ${MAX_REQUEST_BYTES} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(res, 400, 'body: not JSON');
    }
    const parsed = commandRequestSchema.safeParse(json);
    if (!parsed.success) return refuse(res, 400, describeIssues(parsed.error));
    if (!sameFolder(parsed.data.dataDir, options.dataDir))
      return refuse(res, 409, `dataDir: this serve holds ${options.dataDir}, not ${parsed.data.dataDir}`);
    if (stopping.signal.aborted) return refuse(res, 503, 'serve is stopping');

    // The client gone (Ctrl-C) stops its command's run; what the run started stays queued for serve.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const send = (frame: CommandFrame) => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(frame)}\n`);
    };
    // Stopping waits for this whole answer, its last frames included, never for a client.
    const answered = (async () => {
      let exitCode = await options
        .execute(
          parsed.data,
          {
            stdout: (text) => send({ stdout: text }),
            stderr: (text) => send({ stderr: text }),
            failed: (failure) => send({ failure }),
          },
          AbortSignal.any([stopping.signal, gone.signal]),
        )
        .catch((error: unknown) => {
          send({ stderr: `serve could not run the command: ${(error as Error).message.split('\n')[0]}\n` });
          return 1;
        });
      if (stopping.signal.aborted) {
        send({
          stderr:
            'serve stopped before the command finished: what it started stays queued and is carried on by the next `serve` or command on this folder\n',
        });
        exitCode = 1;
      }
      send({ exitCode });
      if (res.destroyed) return;
      await new Promise<void>((resolve) => {
        res.once('close', resolve);
        res.end(resolve);
      });
    })();
    running.add(answered);
    await answered.finally(() => running.delete(answered));
  };

  // Headers and body arrive at once from a local client; a half-sent request is not waited on long.
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (req, res) => {
    answer(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.end();
    });
  });
  // A command may run for hours (a first import through `sync`): no timeout once it is answered.
  server.timeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  // Written whole or not at all, readable by the folder's owner only (the token is a password).
  const file = join(options.dataDir, SERVE_API_FILE);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  writeFileSync(partial, `${JSON.stringify({ pid: process.pid, port, token })}\n`, {
    flag: 'wx',
    mode: 0o600,
  });
  renameSync(partial, file);

  return {
    port,
    stop: async () => {
      rmSync(file, { force: true });
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...running]);
      server.closeAllConnections();
      await closed;
    },
  };
};
