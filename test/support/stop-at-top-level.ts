// Started as a child process by test/integration/local/no-leftovers.test.ts: a script whose only
// work is a top-level start and stop of the stand-in, as the CLI's commands do.
import { startLocalStack } from '../../local/local-stack.js';

const stack = await startLocalStack();
await stack.stop();
process.stdout.write('stopped\n');
