import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tiny Zendesk stand-in for exact edge cases: the test decides every answer. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeReply {
  readonly status?: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly headers?: Record<string, string>;
  /** Destroy the socket instead of answering (a connection reset). */
  readonly reset?: boolean;
}

export interface FakeZendesk {
  readonly baseUrl: string;
  readonly requests: FakeRequest[];
  stop(): Promise<void>;
}

export const startFakeZendesk = async (
  handler: (request: FakeRequest) => FakeReply | Promise<FakeReply>,
): Promise<FakeZendesk> => {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      void Promise.resolve(handler(request)).then(async (reply) => {
        if (reply.reset) {
          req.socket.destroy();
          return;
        }
        const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
        // Zendesk's clock is the test's: no Date header of the machine's unless the reply gives one.
        res.sendDate = false;
        res.writeHead(reply.status ?? 200, {
          'content-type': reply.json !== undefined ? 'application/json' : 'text/plain',
          ...reply.headers,
        });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** An inbound, answered call as Talk's export sends it, started a minute before its last update. */
export const rawCall = (id: number, updatedAt: number) => ({
  id,
  created_at: new Date((updatedAt - 60) * 1000).toISOString(),
  updated_at: new Date(updatedAt * 1000).toISOString(),
  direction: 'inbound',
  phone_number: '+493030999000',
  agent_id: 411000050,
  talk_time: 100,
  hold_time: 0,
  wrap_up_time: 20,
  completion_status: 'completed',
});

/** A ticket event as the export sends it, with a comment body that compaction must drop. */
export const rawTicketEvent = (id: number, timestamp: number, extra: Record<string, unknown> = {}) => ({
  id,
  ticket_id: 5000 + (id % 97),
  timestamp,
  created_at: new Date(timestamp * 1000).toISOString().replace('.000Z', 'Z'),
  updater_id: 411000001,
  via: 'Web form',
  via_reference_id: null,
  system: { client: 'Mozilla/5.0', ip_address: '198.51.100.24' },
  metadata: {},
  event_type: 'Audit',
  child_events: [
    { id: id + 1, via: 'Web form', via_reference_id: null, event_type: 'Create', status: 'new' },
    {
      id: id + 2,
      via: { channel: 'web', source: { from: {}, to: {}, rel: null } },
      via_reference_id: null,
      type: 'Comment',
      author_id: 411000001,
      body: 'My password reset mail never arrives. '.repeat(20),
      html_body: '<div class="zd-comment"><p>My password reset mail never arrives.</p></div>'.repeat(20),
      plain_body: 'My password reset mail never arrives.'.repeat(20),
      public: true,
      attachments: [
        { id: 1, file_name: 'screenshot.png', content_url: 'https://example.invalid/a.png', size: 1234 },
      ],
      audit_id: id,
      created_at: new Date(timestamp * 1000).toISOString(),
      event_type: 'Comment',
    },
  ],
  ...extra,
});

/** The error a promise rejects with; fails the test if it resolves. */
export const failureOf = async <E extends Error = Error>(promise: Promise<unknown>): Promise<E> => {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail, but it succeeded');
};
