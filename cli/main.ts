#!/usr/bin/env node
import { Command } from 'commander';

const program = new Command()
  .name('zendesk-wfm')
  .description('Import Zendesk Support and Talk contact volumes into WFM queue histories.');

program
  .command('demo')
  .description('Run the full local pipeline against the bundled Zendesk sandbox and print a summary.')
  .action(() => {
    process.stdout.write(
      [
        'zendesk-wfm demo',
        'The full local pipeline is being assembled. When complete, this command will:',
        '  1. start the Zendesk sandbox with a seeded synthetic account,',
        '  2. start DynamoDB Local and the embedded SQS emulator,',
        '  3. create an integration and import its tickets, views, users and Talk calls,',
        '  4. print views with verdicts, source queues with contacts (and AHT for Talk), unmapped channels.',
        '',
      ].join('\n'),
    );
  });

await program.parseAsync(process.argv);
