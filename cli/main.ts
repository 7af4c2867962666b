#!/usr/bin/env node
import { run } from './program.js';

// The command talks to local emulators only; the AWS SDK's notice about future Node versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTty: process.stderr.isTTY === true,
  stdoutIsTty: process.stdout.isTTY === true,
  ...(process.stderr.isTTY ? { stderrColumns: process.stderr.columns } : {}),
  now: () => new Date(),
});
