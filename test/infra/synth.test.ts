import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ALL_FUNCTION_SPECS } from '../../infra/function-specs.js';
import { PROJECT_ROOT } from '../../infra/constructs/pipeline-function.js';

/**
 * `npx cdk synth` as a user runs it from a fresh clone, with bundling: no AWS credentials, no
 * Docker (CDK_DOCKER names a binary that does not exist, so any attempt to use it fails), and any
 * HTTP(S) request sent to a closed loopback port. The bundles it writes must load on Node.js and
 * export the handler.
 */
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'zendesk-wfm-synth-'));
const nowhere = join(out, 'nowhere');

const offlineEnv = (): NodeJS.ProcessEnv => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AWS_|CDK_)/.test(k) || k === 'AWS_CA_BUNDLE'),
  );
  return {
    ...env,
    AWS_SHARED_CREDENTIALS_FILE: join(nowhere, 'credentials'),
    AWS_CONFIG_FILE: join(nowhere, 'config'),
    CDK_DOCKER: join(nowhere, 'docker'),
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '',
  };
};

interface LambdaResource {
  Type: string;
  Properties: { Handler: string };
  Metadata: { 'aws:cdk:path': string; 'aws:asset:path': string };
}

let template: { Resources: Record<string, LambdaResource> };

// No bound of its own on the synth: on a busy machine it is slower (over 170 s beside two other
// test runs), not wrong. The hook's bound is the fuse for a synth that hangs.
const SYNTH_HANG_FUSE_MS = 15 * 60_000;

beforeAll(async () => {
  await run(join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', out], {
    cwd: PROJECT_ROOT,
    env: offlineEnv(),
  });
  template = JSON.parse(readFileSync(join(out, 'ZendeskWfm.template.json'), 'utf8')) as typeof template;
}, SYNTH_HANG_FUSE_MS);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const lambdas = () => Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');

const bundleOf = (folder: string) => {
  const fn = lambdas().find((r) =>
    r.Metadata['aws:cdk:path'].startsWith(
      `ZendeskWfm/Functions/${ALL_FUNCTION_SPECS.find((s) => s.folder === folder)!.key}/`,
    ),
  )!;
  return join(out, fn.Metadata['aws:asset:path'], 'index.mjs');
};

describe('cdk synth from the project root', () => {
  it('synthesizes offline, without credentials or Docker', () => {
    expect(lambdas()).toHaveLength(6);
  });

  it.each(ALL_FUNCTION_SPECS.map((s) => s.folder))(
    'bundled lambdas/%s/handler.ts into the cloud assembly: one ESM file with require defined, and its source map',
    (folder) => {
      const file = bundleOf(folder);
      expect([existsSync(file), existsSync(`${file}.map`)]).toEqual([true, true]);
      const code = readFileSync(file, 'utf8');
      expect(
        code.startsWith(
          "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
        ),
      ).toBe(true);
      // Each handler's logger names its service after its folder: the bundle is that handler's.
      expect(code.match(/serviceName:"[a-z-]+"/g)).toEqual([`serviceName:"${folder}"`]);
    },
  );

  it('every bundle loads on Node.js without AWS configuration and exports `handler`', async () => {
    const files = ALL_FUNCTION_SPECS.map((s) => bundleOf(s.folder));
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const out = [];
         for (const f of process.argv.slice(1)) out.push(typeof (await import(f)).handler);
         process.stdout.write(JSON.stringify(out));`,
        ...files,
      ],
      { env: { PATH: process.env.PATH ?? '' } },
    );
    expect(JSON.parse(stdout)).toEqual(files.map(() => 'function'));
  });
});
