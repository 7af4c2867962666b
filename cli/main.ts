#!/usr/bin/env node
import type { CliIo } from './context.js';
import { forwardToServe } from './forward-to-serve.js';

// The command talks to local emulators only; the AWS SDK's notice about future Node versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that goes away (`zendesk-wfm views … | head`) closes stdout: what is left to print is
// dropped, and the command still finishes its work (a sync cut off half way helps nobody).
let stdoutGone = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutGone = true;
});

const io: CliIo = {
  stdout: (text) => {
    if (!stdoutGone) process.stdout.write(text);
  },
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTty: process.stderr.isTTY === true,
  stdoutIsTty: process.stdout.isTTY === true,
  ...(process.stderr.isTTY ? { stderrColumns: process.stderr.columns } : {}),
  now: () => new Date(),
};
const argv = process.argv.slice(2);

// A running serve answers commands on its folder; only otherwise is the program (the whole pipeline) loaded.
process.exitCode = (await forwardToServe(argv, io)) ?? (await (await import('./program.js')).run(argv, io));
