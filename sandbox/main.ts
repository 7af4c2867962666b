#!/usr/bin/env node
/** `npm run sandbox -- --seed 1 --size small`: starts the sandbox, prints where and how to reach it, runs until Ctrl-C. */
import { Command, InvalidArgumentError } from 'commander';
import { SIZE_PROFILES, startSandbox, type SandboxSize } from './index.js';

const integer = (name: string, min: number) => (raw: string) => {
  if (!/^\d+$/.test(raw) || Number(raw) < min)
    throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
  return Number(raw);
};

const program = new Command()
  .name('sandbox')
  .description('A Zendesk API stand-in with a seeded synthetic account, on a loopback port.')
  .option('--seed <n>', 'seed of the synthetic account', integer('--seed', 0), 1)
  .option('--size <size>', `account size: ${Object.keys(SIZE_PROFILES).join(', ')}`, 'small')
  .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', integer('--port', 0), 0)
  .option('--now <iso>', "the clock's anchor (default: now, truncated to the minute)")
  .option('--no-rate-limit', "do not enforce Zendesk's rate limits")
  .action(async (o: { seed: number; size: string; port: number; now?: string; rateLimit: boolean }) => {
    if (!Object.hasOwn(SIZE_PROFILES, o.size))
      program.error(`--size must be one of ${Object.keys(SIZE_PROFILES).join(', ')}, got "${o.size}"`);
    const started = performance.now();
    const sandbox = await startSandbox({
      seed: o.seed,
      size: o.size as SandboxSize,
      port: o.port,
      now: o.now,
      rateLimit: o.rateLimit ? undefined : false,
    });
    const c = sandbox.credentials;
    process.stdout.write(
      [
        `Zendesk sandbox (seed ${o.seed}, size ${o.size}) ready in ${Math.round(performance.now() - started)} ms`,
        `  base URL         ${sandbox.baseUrl}`,
        `  admin            ${c.email}`,
        `  admin API token  ${c.apiToken}      (basic auth: ${c.email}/token:<token>)`,
        `  OAuth client     ${c.oauth.clientId} / ${c.oauth.clientSecret}`,
        `  refresh token    ${c.oauth.refreshToken}      (rotates on use)`,
        `  agent (no admin) ${c.agent.email} / ${c.agent.apiToken}`,
        `  account          ${sandbox.eventCount} ticket events, ${sandbox.truth.calls.length} calls, ${sandbox.truth.views.length} views`,
        `  import window    ${sandbox.importWindow.since} → ${sandbox.importWindow.until}`,
        `  try              curl -u '${c.email}/token:${c.apiToken}' '${sandbox.baseUrl}/api/v2/users/me.json'`,
        'Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    const stop = () => {
      void sandbox.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

await program.parseAsync(process.argv);
