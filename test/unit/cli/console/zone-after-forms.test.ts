import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CliIo } from '../../../../cli/context.js';
import type { InstallLender } from '../../../../cli/local-install.js';
import { mountConsole } from '../../../../cli/console/start.js';

/** The console on loopback, its commands answered by a stand-in that pauses, resumes and deletes. */
describe('the zone picked survives a form: the page after it is in the same zone', () => {
  let server: Server;
  let base: string;
  let cookie: string;
  let csrf: string;

  beforeAll(async () => {
    const mount = mountConsole({
      dataDir: '/srv/wfm',
      host: '127.0.0.1',
      env: {},
      run: (argv: readonly string[], io: CliIo) => {
        if (argv[0] === 'integration' && argv[1] !== 'list') io.stdout(`${argv[1]} "${argv[2]}" done.\n`);
        else io.stdout('[]\n');
        return Promise.resolve(0);
      },
      lend: () => ({}) as InstallLender,
      now: () => new Date('2026-12-02T12:00:00Z'),
    });
    server = createServer((req, res) => void mount.handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    mount.listening(port);
    base = `http://127.0.0.1:${port}`;
    // A page gives the browser its cookie and the form's CSRF token.
    const form = await fetch(`${base}/integrations/new`);
    cookie = form.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each<[string, string, string]>([
    ['pause, in Europe/Berlin', 'pause', 'Europe/Berlin'],
    ['resume, in America/Sao_Paulo', 'resume', 'America/Sao_Paulo'],
    ['delete, in Asia/Kolkata', 'delete', 'Asia/Kolkata'],
  ])('%s', async (_rule, verb, zone) => {
    const posted = await fetch(`${base}/integrations/Acme/${verb}?tz=${encodeURIComponent(zone)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie },
      body: `csrf=${encodeURIComponent(csrf)}`,
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(
      `/integrations?notice=${encodeURIComponent(`${verb} "Acme" done.`)}&tz=${encodeURIComponent(zone)}`,
    );
  });

  it('without a zone picked, the page after the form is plain (UTC)', async () => {
    const posted = await fetch(`${base}/integrations/Acme/pause`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie },
      body: `csrf=${encodeURIComponent(csrf)}`,
      redirect: 'manual',
    });
    expect(posted.headers.get('location')).toBe(
      `/integrations?notice=${encodeURIComponent('pause "Acme" done.')}`,
    );
  });
});
