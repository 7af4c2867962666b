import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CliIo } from '../context.js';
import { UsageError } from '../errors.js';
import type { InstallLender } from '../local-install.js';
import { ConsoleGuard } from './guard.js';
import { consoleHandler } from './server.js';

/** The console's sign-in token, given to serve at start in the environment (never on the command line). */
export const CONSOLE_TOKEN_ENV = 'ZENDESK_WFM_CONSOLE_TOKEN';
const MIN_TOKEN_LENGTH = 16;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export interface ConsoleSetup {
  readonly dataDir: string;
  readonly host: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly run: (argv: readonly string[], io: CliIo) => Promise<number>;
  readonly lend: (signal: AbortSignal) => InstallLender;
  readonly now: () => Date;
}

export interface ConsoleMount {
  readonly handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Tells the console the port serve listens on (the Host header a loopback page must name). */
  listening(port: number): void;
  readonly requiresSignIn: boolean;
  stop(): void;
}

/**
 * The sign-in token of a console on `host`: none on loopback unless given; required elsewhere.
 * Checked before serve opens anything, so a refusal costs nothing.
 */
export const consoleToken = (
  host: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined => {
  const token = env[CONSOLE_TOKEN_ENV]?.trim() || undefined;
  if (!LOOPBACK_HOSTS.has(host.toLowerCase()) && token === undefined)
    throw new UsageError(
      `--host ${host}: the web console on an address other than loopback needs a sign-in token: set ${CONSOLE_TOKEN_ENV} (at least ${MIN_TOKEN_LENGTH} characters) in serve's environment`,
    );
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH)
    throw new UsageError(`${CONSOLE_TOKEN_ENV}: at least ${MIN_TOKEN_LENGTH} characters`);
  return token;
};

/**
 * The console for a serve on `host`: open on loopback; on any other address only with the token of
 * CONSOLE_TOKEN_ENV, which serve refuses to start without (so no one on the network finds a console
 * that anyone may use).
 */
export const mountConsole = (setup: ConsoleSetup): ConsoleMount => {
  const token = consoleToken(setup.host, setup.env);
  let hosts: string[] = [];
  const guard = new ConsoleGuard({ ...(token !== undefined ? { token } : {}), hosts: () => hosts });
  const stopping = new AbortController();
  return {
    handler: consoleHandler({
      dataDir: setup.dataDir,
      run: setup.run,
      lend: setup.lend,
      now: setup.now,
      guard,
      stopping: stopping.signal,
    }),
    listening: (port) => {
      hosts = ['127.0.0.1', 'localhost', '[::1]', setup.host.toLowerCase()].map((h) => `${h}:${port}`);
    },
    requiresSignIn: guard.requiresSignIn,
    stop: () => stopping.abort(),
  };
};

/** The console's first page on the address serve listens on (a wildcard address is reached on loopback). */
export const consoleAddress = (serverUrl: string): string => {
  const url = new URL(serverUrl);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  url.pathname = '/integrations';
  return url.toString();
};

/**
 * The console on a server of its own on 127.0.0.1 (the demo's in-memory install, which has no
 * webhook server to share): its address, and how to stop it.
 */
export const startConsoleServer = async (
  setup: Omit<ConsoleSetup, 'host'>,
): Promise<{ url: string; stop: () => Promise<void> }> => {
  const mount = mountConsole({ ...setup, host: '127.0.0.1' });
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (req, res) => {
    mount.handler(req, res).catch(() => res.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  mount.listening(port);
  return {
    url: consoleAddress(`http://127.0.0.1:${port}`),
    stop: async () => {
      mount.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
};
