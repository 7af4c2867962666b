import { Command } from 'commander';
import { redriveAndRun } from '../../local/dead-letters.js';
import type { CliContext } from '../context.js';
import { CommandFailedError } from '../errors.js';
import { runOptions } from '../import-run.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { formatDuration, Progress } from '../progress.js';
import { count } from '../render.js';

const EXAMPLES = `
Examples:
  zendesk-wfm redrive --data-dir ./wfm-data          # every integration with parked work
  zendesk-wfm redrive Acme --data-dir ./wfm-data

Work is parked when it fails every delivery (Zendesk down for a long time, a bug): its integration
is marked failing with the reason. Once the cause is fixed, redrive puts the parked messages back in
order, makes the integrations active again and runs the pipeline until it is idle: nothing is counted
twice and nothing is lost.`;

/** `zendesk-wfm redrive [NAME]`: replays parked work once its cause is fixed. */
export const redriveCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('redrive')
      .description('Put work parked in dead-letter queues back, in order, and run it to the end.')
      .argument('[name]', 'only this integration'),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (name: string | undefined, options: { dataDir?: string }) => {
      const dataDir = dataDirFrom(ctx, options);
      const started = Date.now();
      const now = ctx.io.now();
      const progress = new Progress(ctx.progressOutput(), {
        since: new Date(now.getTime() - 86_400_000),
        until: now,
      });
      await withLocalInstall(
        { dataDir, ...ctx.installContext(), logger: progress.logger },
        async (install) => {
          const { deps } = install.pipeline;
          const only = name !== undefined ? await findIntegration(install, name) : undefined;
          const { moved } = await redriveAndRun(
            install.stack,
            {
              integrations: deps.repos.integrations,
              now: deps.now,
              resume: (id) => install.service.resume(id),
              drain: () => install.pipeline.drain(runOptions(progress)),
            },
            only?.id,
          );
          const total = moved.fetchJobs + moved.changes + moved.updates + moved.contacts;
          ctx.err(`Redrove ${count(total)} parked message${total === 1 ? '' : 's'}.\n`);
          progress.finish();
          const after = (await install.service.list()).filter(
            (i) => i.status === 'failing' && (only === undefined || i.id === only.id),
          );
          ctx.out(`Done in ${formatDuration(Date.now() - started)}.\n`);
          if (after.length > 0)
            throw new CommandFailedError(
              after
                .map((i) => `"${i.name}" is failing: ${i.statusReason ?? 'no reason recorded'}`)
                .join('; '),
            );
        },
      );
    });
