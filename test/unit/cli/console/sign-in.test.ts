import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CliIo } from '../../../../cli/context.js';
import type { InstallLender } from '../../../../cli/local-install.js';
import { mountConsole } from '../../../../cli/console/start.js';

const TOKEN = 'console-token-for-the-test';

/** The console off loopback, its commands answered by a stand-in that lists no integration. */
describe('the console on another address: signed in by the token of its start, never by a URL', () => {
  let server: Server;
  let base: string;
  const ran: string[][] = [];

  beforeAll(async () => {
    const mount = mountConsole({
      dataDir: '/srv/wfm',
      host: '0.0.0.0',
      env: { ZENDESK_WFM_CONSOLE_TOKEN: TOKEN },
      run: (argv: readonly string[], io: CliIo) => {
        ran.push([...argv]);
        io.stdout('[]\n');
        return Promise.resolve(0);
      },
      lend: () => ({}) as InstallLender,
      now: () => new Date('2026-12-02T12:00:00Z'),
    });
    server = createServer((req, res) => void mount.handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a page without a session goes to the login form and runs nothing', async () => {
    const res = await fetch(`${base}/integrations`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(ran).toEqual([]);
  });

  it('a wrong token is refused; the token in the query string opens nothing', async () => {
    const wrong = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=nope',
      redirect: 'manual',
    });
    expect(wrong.status).toBe(401);
    const inUrl = await fetch(`${base}/integrations?token=${TOKEN}`, { redirect: 'manual' });
    expect(inUrl.status).toBe(303);
    expect(ran).toEqual([]);
  });

  it('the right token gives an HttpOnly SameSite=Strict session cookie, and the page runs `integration list --json` on the folder', async () => {
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: `token=${TOKEN}`,
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookies = login.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('wfm_session=')) as string;
    expect(session).toMatch(/; HttpOnly; SameSite=Strict$/);
    expect(cookies.join('\n')).not.toContain(TOKEN);
    const page = await fetch(`${base}/integrations`, {
      headers: { cookie: cookies.map((c) => c.split(';')[0]).join('; ') },
    });
    expect(page.status).toBe(200);
    await expect(page.text()).resolves.toContain('No integration yet.');
    expect(ran).toEqual([['integration', 'list', '--json', '--data-dir', '/srv/wfm']]);
  });
});
