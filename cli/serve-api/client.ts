import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { liveHolder } from '../../local/data-dir-lock.js';
import { CommandFailedError, EXIT } from '../exit.js';
import {
  COMMANDS_PATH,
  FORWARDED_ENV,
  SERVE_API_FILE,
  commandFrameSchema,
  serveApiFileSchema,
  type CommandRequest,
  type ServeApiFile,
} from './protocol.js';
import type { CommandOutput } from './server.js';

/**
 * The serve API of a data folder: there when a live `serve` holds the folder's lock and has written
 * its API file. A stale file (a serve that died) names another pid than the lock's holder.
 */
export const findServeApi = (dataDir: string): ServeApiFile | undefined => {
  const holder = liveHolder(dataDir);
  if (!holder) return undefined;
  const file = join(dataDir, SERVE_API_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new CommandFailedError(
      `${file}: cannot read the API file of \`${holder.command}\` (pid ${holder.pid}), ${code ?? 'unreadable'}: run the command as the user that runs serve`,
      EXIT.busy,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = serveApiFileSchema.safeParse(json);
  return parsed.success && parsed.data.pid === holder.pid ? parsed.data : undefined;
};

/** The part of the environment a command reads (ZENDESK_*), sent along with its command line. */
export const forwardedEnv = (env: Readonly<Record<string, string | undefined>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => FORWARDED_ENV.test(e[0]) && e[1] !== undefined),
  );

const SERVE_STOPPED =
  '`zendesk-wfm serve` stopped before the command finished: what it started stays queued and is carried on by the next `serve` or command on this folder';

/**
 * Runs a command in `serve` through its API: what it writes arrives on `output` as it is written,
 * and the command's exit code resolves. A serve that does not answer, or stops mid-way, is said in
 * plain words (never with the token).
 */
export const runThroughServe = (
  api: ServeApiFile,
  command: CommandRequest,
  output: CommandOutput,
): Promise<number> =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify(command);
    const req = request(
      {
        host: '127.0.0.1',
        port: api.port,
        method: 'POST',
        path: COMMANDS_PATH,
        headers: {
          authorization: `Bearer ${api.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let buffer = '';
        let exitCode: number | undefined;
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          res.on('data', (chunk: string) => (buffer += chunk));
          res.on('end', () => {
            let message = buffer;
            try {
              message = (JSON.parse(buffer) as { message?: string }).message ?? buffer;
            } catch {
              // Not the API's JSON: said as it came.
            }
            reject(
              new CommandFailedError(
                `\`zendesk-wfm serve\` refused the command (${res.statusCode}): ${message}`,
              ),
            );
          });
          return;
        }
        const take = (line: string) => {
          if (line === '') return;
          const frame = commandFrameSchema.parse(JSON.parse(line));
          if ('stdout' in frame) output.stdout(frame.stdout);
          else if ('stderr' in frame) output.stderr(frame.stderr);
          else if ('failure' in frame) output.failed?.(frame.failure);
          else exitCode = frame.exitCode;
        };
        res.on('data', (chunk: string) => {
          buffer += chunk;
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          try {
            lines.forEach(take);
          } catch (error) {
            res.destroy(error as Error);
          }
        });
        res.on('error', (error: NodeJS.ErrnoException) =>
          // The answer cut off (serve killed mid-command) is a serve that stopped; a frame that
          // cannot be read is an error of its own.
          reject(
            error.code === 'ECONNRESET' || error.message === 'aborted'
              ? new CommandFailedError(SERVE_STOPPED)
              : error,
          ),
        );
        res.on('close', () => {
          if (exitCode !== undefined) resolve(exitCode);
          else reject(new CommandFailedError(SERVE_STOPPED));
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        // A serve killed while it ran the command resets the connection: not a busy serve to wait for.
        liveHolder(command.dataDir)?.pid !== api.pid
          ? new CommandFailedError(SERVE_STOPPED)
          : new CommandFailedError(
              `\`zendesk-wfm serve\` (pid ${api.pid}) holds ${command.dataDir} but its API on 127.0.0.1:${api.port} did not answer (${error.code ?? error.message}); wait for it or stop it first`,
              EXIT.busy,
            ),
      ),
    );
    req.end(body);
  });
