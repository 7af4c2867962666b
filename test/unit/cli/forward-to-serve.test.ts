import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { CliContext } from '../../../cli/context.js';
import { DATA_DIR_COMMANDS, forwardedCommand } from '../../../cli/forward-to-serve.js';
import { buildProgram, worksOnDataDir } from '../../../cli/program.js';

const leaves = (command: Command, path: string[] = []): { words: string; command: Command }[] =>
  command.commands.length === 0
    ? [{ words: path.join(' '), command }]
    : command.commands.flatMap((c) => leaves(c, [...path, c.name()]));

describe('the commands a running serve answers before the program is loaded', () => {
  it('are exactly the commands of the program that work on a data folder (serve aside)', () => {
    const program = buildProgram(
      new CliContext({
        stdout: () => undefined,
        stderr: () => undefined,
        env: {},
        stderrIsTty: false,
        now: () => new Date(0),
      }),
    );
    const onDataDir = leaves(program)
      .filter((l) => worksOnDataDir(l.command))
      .map((l) => l.words)
      .sort();
    expect([...DATA_DIR_COMMANDS].sort()).toEqual(onDataDir);
  });
});

describe('forwardedCommand: which command line goes to serve, on which folder', () => {
  it.each<[string, string[], Record<string, string>, { words: string; dataDir: string } | undefined]>([
    [
      'a read with --data-dir',
      ['history', 'Acme', '--data-dir', 'wfm'],
      {},
      { words: 'history', dataDir: resolve('wfm') },
    ],
    ['--data-dir=DIR', ['views', 'Acme', '--data-dir=wfm'], {}, { words: 'views', dataDir: resolve('wfm') }],
    [
      'the folder from ZENDESK_WFM_DATA_DIR',
      ['sync'],
      { ZENDESK_WFM_DATA_DIR: '/srv/wfm' },
      { words: 'sync', dataDir: '/srv/wfm' },
    ],
    [
      '--data-dir wins over the variable',
      ['sync', '--data-dir', '/a'],
      { ZENDESK_WFM_DATA_DIR: '/b' },
      { words: 'sync', dataDir: '/a' },
    ],
    [
      'an integration subcommand',
      ['integration', 'add', '--data-dir', '/a'],
      {},
      { words: 'integration add', dataDir: '/a' },
    ],
    [
      'after --verbose',
      ['--verbose', 'queues', 'Acme', '--data-dir', '/a'],
      {},
      { words: 'queues', dataDir: '/a' },
    ],
    ['serve itself never', ['serve', '--data-dir', '/a'], {}, undefined],
    ['the demo never', ['demo'], { ZENDESK_WFM_DATA_DIR: '/a' }, undefined],
    ['no folder: an in-memory import', ['import', '--domain', 'acme.zendesk.com'], {}, undefined],
    [
      "import never takes the variable's folder: without --data-dir it keeps nothing",
      ['import', '--domain', 'acme.zendesk.com'],
      { ZENDESK_WFM_DATA_DIR: '/a' },
      undefined,
    ],
    [
      'import with --data-dir goes to serve',
      ['import', '--domain', 'acme.zendesk.com', '--data-dir', '/a'],
      { ZENDESK_WFM_DATA_DIR: '/b' },
      { words: 'import', dataDir: '/a' },
    ],
    [
      'a command on the deployed stack runs here, the variable set or not',
      ['explain', 'Acme', '--queue', 'q', '--stack-outputs', 'cdk-outputs.json'],
      { ZENDESK_WFM_DATA_DIR: '/a' },
      undefined,
    ],
    [
      '--stack-outputs=FILE beside --data-dir runs here too (which refuses the two together)',
      ['reconcile', 'Acme', '--data-dir', '/a', '--stack-outputs=cdk-outputs.json'],
      {},
      undefined,
    ],
    ['an empty folder is no folder', ['sync', '--data-dir', ' '], {}, undefined],
    ['an unknown command is left to the program', ['histroy', '--data-dir', '/a'], {}, undefined],
    ['no command', [], { ZENDESK_WFM_DATA_DIR: '/a' }, undefined],
    [
      'words after -- are no option',
      ['history', '--data-dir', '/a', '--', '--data-dir', '/b'],
      {},
      { words: 'history', dataDir: '/a' },
    ],
  ])('%s', (_rule, argv, env, expected) => {
    expect(forwardedCommand(argv, env)).toEqual(expected);
  });
});
