import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { CLI_PATH, TEST_MIN_FREE_MB, assertBuilt, until } from './support.js';

/** A word of a shell command line, quoted for `sh -c`. */
const shellWord = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * `npm start` on a terminal: the demo imports the sandbox, then keeps its web console open until
 * Ctrl-C. A terminal is what decides it (a script's run exits after the summary, see
 * demo.test.ts), so this test gives the demo one: util-linux's `script` (Debian's essential
 * bsdutils) runs it on a pseudo-terminal, and a Ctrl-C typed on that terminal stops it.
 */
describe('zendesk-wfm demo on a terminal', () => {
  beforeAll(assertBuilt);

  it('ends by printing the console address, which answers with the imported integration, until Ctrl-C stops it', async () => {
    // `exec`: the shell `script` starts must not stay between the terminal and the demo. Debian's
    // sh (dash) waiting on a child kills itself on the Ctrl-C the child handled (exit 130).
    const demo = `exec ${[process.execPath, CLI_PATH, 'demo', '--size', 'tiny', '--seed', '3'].map(shellWord).join(' ')}`;
    const terminal = spawn('script', ['--quiet', '--flush', '--return', '--command', demo, '/dev/null'], {
      env: { ...process.env, ZENDESK_WFM_MIN_FREE_MB: TEST_MIN_FREE_MB },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    terminal.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
    terminal.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => terminal.once('exit', (code) => resolve(code)));
    let ended = false;
    void exited.then(() => (ended = true));

    const printed =
      /\nConsole: (http:\/\/127\.0\.0\.1:\d+\/integrations) {2}\(charts of these queues; Ctrl-C to stop\)\r?\n/;
    await until(() => printed.test(screen) || ended);
    expect({ ended, printed: printed.test(screen) }).toEqual({ ended: false, printed: true });
    const address = printed.exec(screen)?.[1] as string;
    // The summary comes first: the address is the demo's last word.
    expect(screen.indexOf('Source queues: ')).toBeGreaterThan(-1);
    expect(screen.indexOf('Source queues: ')).toBeLessThan(screen.indexOf('\nConsole: '));

    // Rule: the printed address answers: the integrations page with the demo's integration, and
    // its queues page with the queues just imported.
    const integrations = await fetch(address);
    expect(integrations.status).toBe(200);
    const page = await integrations.text();
    expect(page).toContain('<tr data-integration="Sandbox">');
    const queues = await fetch(`${address}/Sandbox/queues`);
    expect(queues.status).toBe(200);
    expect(await queues.text()).toContain('<tr data-queue="Calls Inbound For Senior Agents">');

    // Ctrl-C on the terminal: the demo stops, its console with it.
    terminal.stdin.write('\x03');
    expect(await exited).toBe(0);
    await expect(fetch(address)).rejects.toThrow();
  });
});
