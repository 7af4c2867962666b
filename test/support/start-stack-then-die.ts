// Started as a child process by test/integration/local/no-leftovers.test.ts: starts the embedded
// stand-in, reports where it runs, then dies the way the parent asks without stopping anything.
import { startLocalStack } from '../../local/local-stack.js';

const how = process.argv[2] ?? 'throw';
const stack = await startLocalStack();
process.stdout.write(
  `${JSON.stringify({ dynamodb: stack.endpoints.dynamodb, reaperPid: stack.dynamoDbLocalPid })}\n`,
);
setTimeout(() => {
  if (how === 'sigkill') process.kill(process.pid, 'SIGKILL');
  throw new Error('a test suite that throws midway');
}, 50);
