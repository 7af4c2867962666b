import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { run } from '../../../cli/program.js';

const TOKEN = 'tok-never-printed-123';

/** The command in-process, with strings for stdout and stderr; only paths that start nothing. */
const cli = async (args: string[], env: Record<string, string> = {}) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await run(args, {
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    env,
    stderrIsTty: false,
    now: () => new Date('2026-03-02T12:00:00Z'),
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
};

const account = ['--domain', 'acme.zendesk.com', '--username', 'admin@acme.example', '--grouping', 'ivr'];

describe('--help', () => {
  it.each<[string[]]>([
    [[]],
    [['import']],
    [['integration']],
    [['integration', 'add']],
    [['integration', 'list']],
    [['integration', 'show']],
    [['integration', 'pause']],
    [['integration', 'resume']],
    [['integration', 'delete']],
    [['integration', 'set-credentials']],
    [['integration', 'update']],
    [['sync']],
    [['views']],
    [['history']],
    [['quarantined']],
    [['demo']],
  ])('zendesk-wfm %j --help shows usage and examples on stdout', async (path) => {
    const { code, stdout, stderr } = await cli([...path, '--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Usage: zendesk-wfm${path.length ? ` ${path.join(' ')}` : ''} `);
    expect(stdout).toContain('\nExamples:\n');
  });
});

describe('--help inside serve (the command typed in another terminal)', () => {
  const help = async (columns?: number) => {
    const stdout: string[] = [];
    await run(['queues', '--help'], {
      stdout: (t) => stdout.push(t),
      stderr: () => undefined,
      env: {},
      stderrIsTty: columns !== undefined,
      ...(columns !== undefined ? { stderrColumns: columns } : {}),
      now: () => new Date('2026-03-02T12:00:00Z'),
      lender: {
        lend: () => {
          throw new Error('help opens no install');
        },
      },
    });
    return stdout.join('').split('\n');
  };
  const SUMMARY = "List an integration's source queues with their view, channel and totals over a period.";

  it.each<[string, number | undefined, boolean]>([
    ["wraps to the client's terminal, whatever serve's own output is", 130, true],
    ['wraps at 80 columns when the client sent none (its output is no terminal)', undefined, false],
  ])('%s', async (_rule, columns, whole) => {
    const lines = await help(columns);
    expect(lines.includes(SUMMARY)).toBe(whole);
    // What commander wraps (the examples after it are written as they are).
    const wrapped = lines.slice(0, lines.indexOf('Examples:'));
    expect(Math.max(...wrapped.map((l) => l.length))).toBeLessThanOrEqual(columns ?? 80);
  });
});

describe('--version (issue: the local install runs like a service)', () => {
  it("prints package.json's version on stdout and exits 0", async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('mistakes on the command line: one line on stderr, exit 2, nothing on stdout', () => {
  it.each<[string, string[], Record<string, string>, string]>([
    [
      'an unknown option',
      ['import', ...account, '--token', TOKEN, '--colour'],
      {},
      "zendesk-wfm import: error: unknown option '--colour' (see `zendesk-wfm import --help`)",
    ],
    [
      'an unknown command',
      ['imprt'],
      {},
      "zendesk-wfm: error: unknown command 'imprt' (Did you mean import?) (see `zendesk-wfm --help`)",
    ],
    [
      'a bad domain',
      ['import', ...account, '--domain', 'https://acme.zendesk.com/', '--token', TOKEN],
      {},
      'zendesk-wfm import: error: --domain must be the full Zendesk host including the subdomain, e.g. example.zendesk.com',
    ],
    [
      'a bad date',
      ['import', ...account, '--since', '2026-02-30', '--token', TOKEN],
      {},
      'zendesk-wfm import: error: --since must be an ISO-8601 date or date-time with a time zone, e.g. 2026-01-05 or 2026-01-05T10:00:00Z; got "2026-02-30"',
    ],
    [
      'a bad interval',
      ['import', ...account, '--interval', '20'],
      { ZENDESK_API_TOKEN: TOKEN },
      'zendesk-wfm import: error: --interval must be 15, 30 or 60 (minutes), got "20"',
    ],
    [
      'a missing grouping',
      ['import', '--domain', 'acme.zendesk.com', '--username', 'admin@acme.example', '--token', TOKEN],
      {},
      "zendesk-wfm import: error: required option '--grouping <strategy>' not specified (see `zendesk-wfm import --help`)",
    ],
    [
      'no credentials',
      ['import', ...account],
      {},
      'zendesk-wfm import: error: credentials are required: --token (or ZENDESK_API_TOKEN), or --oauth-client-id with --oauth-client-secret (or ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET)',
    ],
    [
      'a non-loopback base URL',
      ['import', ...account, '--base-url', 'http://zendesk.example:8080'],
      { ZENDESK_API_TOKEN: TOKEN },
      'zendesk-wfm import: error: --base-url must be a loopback URL (the local sandbox)',
    ],
    [
      'a persistent command without a data dir',
      ['sync'],
      {},
      'zendesk-wfm sync: error: --data-dir is required: the folder of the local install (e.g. --data-dir ./wfm-data, or set ZENDESK_WFM_DATA_DIR)',
    ],
    [
      // The command's own environment, not the process's: an in-process caller sets it.
      'a free-space reserve that is no number',
      ['sync', '--data-dir', 'unused'],
      { ZENDESK_WFM_MIN_FREE_MB: 'lots' },
      'zendesk-wfm sync: error: ZENDESK_WFM_MIN_FREE_MB must be a whole number of MiB (0 or more), got "lots"',
    ],
    [
      'history with a bad --from',
      ['history', 'Acme', '--data-dir', 'unused', '--from', 'last week'],
      {},
      'zendesk-wfm history: error: --from must be an ISO-8601 date or date-time with a time zone, e.g. 2026-01-05 or 2026-01-05T10:00:00Z; got "last week"',
    ],
    [
      'history --json with a file format (--json stays the stored intervals)',
      ['history', 'Acme', '--data-dir', 'unused', '--json', '--format', 'csv'],
      {},
      'zendesk-wfm history: error: --json prints the stored intervals as they are: give it without --format csv',
    ],
    [
      'history --format injixo summed to days (injixo takes 15, 30 or 60 minutes)',
      ['history', 'Acme', '--data-dir', 'unused', '--format', 'injixo', '--per', 'day'],
      {},
      'zendesk-wfm history: error: --per day: injixo imports intervals of 15, 30 or 60 minutes; use --per hour or none with --format injixo',
    ],
    [
      'history with an unknown --format',
      ['history', 'Acme', '--data-dir', 'unused', '--format', 'xlsx'],
      {},
      'zendesk-wfm history: error: --format must be table, csv, json, injixo or erlang; got "xlsx"',
    ],
    [
      'report without --out',
      ['report', 'Acme', '--data-dir', 'unused'],
      {},
      'zendesk-wfm report: error: --out is required: the HTML file to write, e.g. --out report.html',
    ],
    [
      'report with an unknown --tz',
      ['report', 'Acme', '--data-dir', 'unused', '--out', 'r.html', '--tz', 'Europe/Atlantis'],
      {},
      'zendesk-wfm report: error: --tz must be an IANA time zone name such as Europe/Berlin, America/New_York or UTC; got "Europe/Atlantis"',
    ],
    [
      'a coalescing window past the SQS delay limit (every webhook would fail)',
      ['serve', '--data-dir', 'unused', '--coalesce-seconds', '841'],
      {},
      'zendesk-wfm serve: error: --coalesce-seconds must be a whole number from 1 to 840, got "841"',
    ],
    [
      "an export lag longer than Zendesk's minute",
      ['serve', '--data-dir', 'unused', '--export-lag-seconds', '61'],
      {},
      'zendesk-wfm serve: error: --export-lag-seconds must be a whole number from 0 to 60, got "61"',
    ],
    [
      'a port out of range',
      ['serve', '--data-dir', 'unused', '--port', '70000'],
      {},
      'zendesk-wfm serve: error: --port must be a whole number from 1 to 65535, got "70000"',
    ],
    [
      'a host that is no address',
      ['serve', '--data-dir', 'unused', '--host', 'http://0.0.0.0'],
      {},
      'zendesk-wfm serve: error: --host must be an IP address or a host name to listen on, e.g. 127.0.0.1, 0.0.0.0 or localhost; got "http://0.0.0.0"',
    ],
    [
      'a schedule longer than a timer can wait',
      ['serve', '--data-dir', 'unused', '--schedule-minutes', '40000'],
      {},
      'zendesk-wfm serve: error: --schedule-minutes must be a whole number from 1 to 1440, got "40000"',
    ],
    [
      'more webhook ticket reads than the API budget of any plan allows',
      ['integration', 'update', 'Acme', '--data-dir', 'unused', '--webhook-ticket-reads', '201'],
      {},
      'zendesk-wfm integration update: error: --webhook-ticket-reads must be a whole number of tickets a minute from 0 to 200, got "201"',
    ],
    [
      'update without a change',
      ['integration', 'update', 'Acme', '--data-dir', 'unused'],
      {},
      'zendesk-wfm integration update: error: nothing to change: give --name, --time-zone, --include-personal-views, --exclude-personal-views, --webhook-signing-secret, --webhook-ticket-reads, credentials (--token or --oauth-client-id), --exclude-view or --include-view',
    ],
    [
      'a signing secret asked from the environment that is not set',
      ['integration', 'update', 'Acme', '--data-dir', 'unused', '--webhook-signing-secret'],
      {},
      'zendesk-wfm integration update: error: --webhook-signing-secret: give the secret, or set ZENDESK_WEBHOOK_SIGNING_SECRET',
    ],
    [
      'a signing secret too short to be the one Zendesk shows',
      ['integration', 'update', 'Acme', '--data-dir', 'unused', '--webhook-signing-secret', 'short'],
      {},
      'zendesk-wfm integration update: error: --webhook-signing-secret: at least 8 characters (copy it from the webhook in Zendesk)',
    ],
    [
      "Zendesk's public test secret, which anyone can sign with",
      [
        'integration',
        'update',
        'Acme',
        '--data-dir',
        'unused',
        '--webhook-signing-secret',
        'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==',
      ],
      {},
      `zendesk-wfm integration update: error: --webhook-signing-secret: that is Zendesk's public test secret, which anyone can sign with; copy the webhook's own secret (Admin Center, the webhook, "Reveal secret")`,
    ],
    [
      'personal views both included and excluded',
      [
        'integration',
        'update',
        'Acme',
        '--data-dir',
        'unused',
        '--include-personal-views',
        '--exclude-personal-views',
      ],
      {},
      'zendesk-wfm integration update: error: give either --include-personal-views or --exclude-personal-views, not both',
    ],
  ])('%s', async (_what, args, env, line) => {
    const { code, stdout, stderr } = await cli(args, env);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
    expect(stderr).not.toContain(TOKEN);
  });

  it('prints the stack trace only with --verbose', async () => {
    const quiet = await cli(['import', ...account, '--since', 'soon', '--token', TOKEN]);
    const verbose = await cli(['import', ...account, '--since', 'soon', '--token', TOKEN, '--verbose']);
    expect(quiet.stderr.split('\n')).toHaveLength(2);
    expect(verbose.stderr.split('\n').slice(1).join('\n')).toContain('at parseInstant');
    expect(verbose.stderr).not.toContain(TOKEN);
  });
});

describe("a failing command tells its failure as a value (what serve's console shows by its field)", () => {
  const failureOf = async (args: string[], env: Record<string, string>) => {
    const told: unknown[] = [];
    const code = await run(args, {
      stdout: () => undefined,
      stderr: () => undefined,
      env,
      stderrIsTty: false,
      now: () => new Date('2026-03-02T12:00:00Z'),
      failed: (failure) => told.push(failure),
    });
    return { code, told };
  };
  const add = ['integration', 'add', '--data-dir', 'unused', '--name', 'A', '--username', 'a@acme.example'];

  it.each<[string, string[], Record<string, string>, object]>([
    [
      'an empty grouping strategy: its field, in the words of stderr',
      [...add, '--domain', 'acme.zendesk.com', '--grouping', '', '--token'],
      { ZENDESK_API_TOKEN: TOKEN },
      {
        message: '--grouping must be "ivr" or "phone_number", got ""',
        exitCode: 2,
        field: 'groupingStrategy',
      },
    ],
    [
      'a domain that is no Zendesk host: the domain',
      [...add, '--domain', 'acme', '--grouping', 'ivr', '--token'],
      { ZENDESK_API_TOKEN: TOKEN },
      {
        message: '--domain must be the full Zendesk host including the subdomain, e.g. example.zendesk.com',
        exitCode: 2,
        field: 'domain',
      },
    ],
    [
      '`--token` alone without the token: the API token, the secret never in the message',
      [...add, '--domain', 'acme.zendesk.com', '--grouping', 'ivr', '--token'],
      {},
      {
        message: '--token: give the token, or set ZENDESK_API_TOKEN',
        exitCode: 2,
        field: 'credentials.apiToken',
      },
    ],
    [
      "commander's own refusal: no field",
      [...add, '--domain', 'acme.zendesk.com', '--grouping', 'ivr', '--token', '--colour'],
      { ZENDESK_API_TOKEN: TOKEN },
      { message: "unknown option '--colour'", exitCode: 2 },
    ],
  ])('%s', async (_rule, args, env, failure) => {
    expect(await failureOf(args, env)).toEqual({ code: 2, told: [failure] });
  });
});

describe('a secrets file others can read', () => {
  it('stops any command of the install before anything starts, with one line naming the file and the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-perm-'));
    try {
      await mkdir(join(dir, 'dynamodb'));
      const file = join(dir, 'secrets.json');
      await writeFile(file, '{}', { mode: 0o644 });
      await chmod(file, 0o644);
      const { code, stdout, stderr } = await cli(['integration', 'list', '--data-dir', dir]);
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: `zendesk-wfm integration list: error: the local secret file ${file} can be read or written by others (mode 0644); make it owner-only with \`chmod 600 ${file}\`, and rotate its secrets if someone else may have read them\n`,
      });
      // Nothing was started or created: no DynamoDB data, no lock left.
      expect(await readdir(dir)).toEqual(['dynamodb', 'secrets.json']);
      expect(await readdir(join(dir, 'dynamodb'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a --data-dir with no install in it (issue: the local install runs like a service)', () => {
  it.each<[string[]]>([
    [['integration', 'list']],
    [['integration', 'show', 'Acme']],
    [['history', 'Acme']],
    [['views', 'Acme']],
    [['sync']],
    [['redrive']],
  ])('zendesk-wfm %j says so, exit 2, and creates nothing', async (command) => {
    const parent = await mkdtemp(join(tmpdir(), 'zendesk-wfm-none-'));
    const dir = join(parent, 'wfm-dta');
    try {
      const { code, stdout, stderr } = await cli([...command, '--data-dir', dir]);
      expect({ code, stdout, stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr: `zendesk-wfm ${command.filter((a) => a !== 'Acme').join(' ')}: error: --data-dir ${dir}: there is no install in this folder; \`zendesk-wfm integration add --data-dir ${dir} …\` creates one\n`,
      });
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe('inside serve, only commands on its data folder run (issue 22: one owner per data folder)', () => {
  /** A lender that must not be asked: the refusal comes before any install is opened. */
  const lender = {
    lend: () => {
      throw new Error('no install is lent to a command serve does not run');
    },
  };
  it.each<[string, string, string[], Record<string, string>]>([
    ["`import` (in memory: not serve's install)", 'import', ['import', ...account, '--token', TOKEN], {}],
    [
      '`import` with ZENDESK_WFM_DATA_DIR set (import never takes its folder from it)',
      'import',
      ['import', ...account, '--token', TOKEN],
      { ZENDESK_WFM_DATA_DIR: '/srv/wfm' },
    ],
    ['`demo`', 'demo', ['demo'], {}],
    ['`serve`', 'serve', ['serve', '--data-dir', '/nowhere'], {}],
  ])('%s sent to serve is refused with exit 2 before anything runs', async (_rule, name, args, env) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await run(args, {
      stdout: (t) => stdout.push(t),
      stderr: (t) => stderr.push(t),
      env,
      stderrIsTty: false,
      now: () => new Date('2026-03-02T12:00:00Z'),
      lender,
    });
    expect({ code, stdout: stdout.join(''), stderr: stderr.join('') }).toEqual({
      code: 2,
      stdout: '',
      stderr: `zendesk-wfm ${name}: error: \`zendesk-wfm ${name}\` runs through serve's API only on serve's data folder: run it on its own\n`,
    });
  });
});
