import { z } from 'zod';
import { EXIT } from '../exit.js';
import { INPUT_FIELDS } from '../input-fields.js';

/**
 * The local API `serve` offers on 127.0.0.1 to the other commands on its data folder: a client
 * sends its command line, serve runs the same command on the install it holds open and streams back
 * what the command writes and its exit code. One shape per idea: a command is its argv, whether it
 * runs in its own process or in serve's.
 *
 * Where a client finds it: SERVE_API_FILE in the data folder (0600, the folder's owner only) names
 * serve's pid, the port and the token a request must carry (`Authorization: Bearer <token>`).
 */
export const SERVE_API_FILE = 'serve-api.json';
export const COMMANDS_PATH = '/v1/commands';
/** A command line is small; anything larger is refused unread. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export const serveApiFileSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65_535),
  token: z.string().min(32),
});
export type ServeApiFile = z.infer<typeof serveApiFileSchema>;

/**
 * The variables a command reads (its secrets among them) all start with ZENDESK_: those are sent,
 * nothing else of the client's environment.
 */
export const FORWARDED_ENV = /^ZENDESK_[A-Z0-9_]*$/;

export const commandRequestSchema = z.strictObject({
  /** The command line without `node` and the script, as the person typed it. */
  argv: z.array(z.string().max(65_536)).min(1).max(256),
  env: z.record(z.string(), z.string()).superRefine((env, check) => {
    for (const name of Object.keys(env))
      if (!FORWARDED_ENV.test(name))
        check.addIssue({ code: 'custom', path: [name], message: 'only ZENDESK_* variables are sent' });
  }),
  /** The data folder the client resolved: serve answers only for its own. */
  dataDir: z.string().min(1),
  /** The client's stderr when it is a terminal: progress is redrawn in place there. */
  terminalColumns: z.number().int().positive().optional(),
});
export type CommandRequest = z.infer<typeof commandRequestSchema>;

/**
 * A failed command as a value (exit.ts's ErrorReport): its line, exit code and the input field it
 * concerns, so a client is told a refusal as fully as the command run in its own process tells it.
 */
export const failureSchema = z.strictObject({
  message: z.string(),
  exitCode: z.literal(Object.values(EXIT)),
  field: z.enum(INPUT_FIELDS).optional(),
});

/**
 * The response body: one JSON frame a line, the output in order, then a failed command's failure,
 * the exit code last.
 */
export const commandFrameSchema = z.union([
  z.strictObject({ stdout: z.string() }),
  z.strictObject({ stderr: z.string() }),
  z.strictObject({ failure: failureSchema }),
  z.strictObject({ exitCode: z.number().int().min(0).max(255) }),
]);
export type CommandFrame = z.infer<typeof commandFrameSchema>;

/** A refused request's body: what was wrong, never what was sent. */
export interface ApiRefusal {
  readonly message: string;
}

/** Field by field, as every other input is refused ("argv.0: …"). */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
