import { describe, expect, it } from '@jest/globals';
import { assertBuilt, spawnCli } from './support.js';

/**
 * Rule: a reader that goes away (`zendesk-wfm … | head`) closes the command's stdout; the command
 * drops what is left to print and ends as it would have, with no stack trace (Node's default for
 * the EPIPE would be an unhandled error and exit 1).
 */
describe('a command whose stdout is closed by its reader', () => {
  it('ends with its own exit code and nothing on stderr', async () => {
    assertBuilt();
    const child = spawnCli(['views', '--help']);
    // Closed before the command has started, so its first write meets a pipe with no reader.
    child.stdout.destroy();
    const stderr: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect({ code, stderr: Buffer.concat(stderr).toString('utf8') }).toEqual({ code: 0, stderr: '' });
  });
});
