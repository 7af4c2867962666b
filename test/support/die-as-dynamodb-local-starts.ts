// Started as a child process by test/integration/local/no-leftovers.test.ts: dies by SIGKILL the
// moment it has started DynamoDB Local's reaper, before the reaper can say Java's pid to it (so the
// reaper writes to a pipe nobody reads any more). It first says the port Java was given.
import childProcess, { type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const spawn = childProcess.spawn.bind(childProcess) as (...args: unknown[]) => ChildProcess;
childProcess.spawn = ((...args: unknown[]) => {
  const child = spawn(...args);
  const argv = (args[1] ?? []) as string[];
  if (argv.includes('zendesk-wfm-dynamodb-local-reaper')) {
    writeSync(1, `${JSON.stringify({ port: argv[argv.indexOf('-port') + 1] })}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
  return child;
}) as typeof childProcess.spawn;
syncBuiltinESMExports();

const { startDynamoDbLocal } = await import('../../local/dynamodb-local.js');
await startDynamoDbLocal();
