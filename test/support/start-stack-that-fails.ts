// Started as a child process by test/integration/local/no-leftovers.test.ts: starts the embedded
// stand-in where DynamoDB Local cannot keep its data (the folder is under a file), so its start
// fails while the SQS emulator's succeeds. Like the CLI, it reports the error and leaves the exit
// to Node: the process must end on its own, nothing of the stand-in keeping it alive.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../local/local-stack.js';

const dir = mkdtempSync(join(tmpdir(), 'zendesk-wfm-bad-dir-'));
const file = join(dir, 'a-file');
writeFileSync(file, '');
try {
  await startLocalStack({ dataDir: join(file, 'dynamodb') });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
