import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// shared/domain is pure: its files may import only each other (no AWS SDK, no node:, no adapters).
const DOMAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/domain');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

// Statements only (`type: 'import'` in a data table is not an import): import/export … from 'x',
// import 'x', import('x'), require('x').
const SPECIFIER =
  /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]/gm;

const specifiersOf = (code: string): string[] =>
  [...code.matchAll(SPECIFIER)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');

const outsideDomain = (file: string, specifier: string): boolean => {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return true;
  const target = resolve(dirname(file), specifier);
  return target !== DOMAIN && !target.startsWith(DOMAIN + sep);
};

describe('shared/domain purity', () => {
  const files = sourceFiles(DOMAIN);

  it('finds the domain files', () => {
    expect(files.map((file) => relative(DOMAIN, file))).toEqual(
      expect.arrayContaining([
        'channels.ts',
        'interactions.ts',
        'ticket-state.ts',
        'counters.ts',
        'records.ts',
      ]),
    );
  });

  it.each(files.map((file) => [relative(DOMAIN, file), file]))(
    '%s imports only shared/domain',
    (_name, file) => {
      const offending = specifiersOf(readFileSync(file, 'utf8')).filter((specifier) =>
        outsideDomain(file, specifier),
      );
      expect(offending).toEqual([]);
    },
  );

  it('the check catches package, node: and adapter imports', () => {
    const file = join(DOMAIN, 'example.ts');
    const code = [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { readFileSync } from 'node:fs';",
      "export { x } from '../store/tables.js';",
      "const lazy = await import('../zendesk/client.js');",
      "import './channels.js';",
      "import 'aws-sdk';",
      'import {\n  SQSClient,\n  SendMessageCommand,\n} from "@aws-sdk/client-sqs";',
      "const table = [{ type: 'import', channel: 'api' }];",
    ].join('\n');
    expect(specifiersOf(code).filter((specifier) => outsideDomain(file, specifier))).toEqual([
      '@aws-sdk/client-dynamodb',
      'node:fs',
      '../store/tables.js',
      '../zendesk/client.js',
      'aws-sdk',
      '@aws-sdk/client-sqs',
    ]);
  });
});
