import { get as httpGet } from 'node:http';
import type { Sandbox } from '../../../sandbox/index.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const basic = (email: string, token: string) =>
  `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;

export const adminAuth = (s: Sandbox) => basic(s.credentials.email, s.credentials.apiToken);

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: JsonObject;
}

/** GET a path (or a full URL the sandbox returned) with the admin's credentials unless told otherwise. */
export async function get(
  s: Sandbox,
  pathOrUrl: string,
  authorization: string | null = adminAuth(s),
): Promise<Reply> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${s.baseUrl}${pathOrUrl}`;
  const res = await fetch(url, { headers: authorization ? { Authorization: authorization } : {} });
  const text = await res.text();
  let json: JsonObject = {};
  try {
    json = JSON.parse(text) as JsonObject;
  } catch {
    // plain-text and malformed bodies are checked through `text`
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * The body of a GET over a connection of its own, closed after the answer: no pooled keep-alive
 * socket outlives the sandbox, so a sandbox started next on the same port is asked afresh.
 */
export const getOverOwnConnection = (s: Sandbox, path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const request = httpGet(
      `${s.baseUrl}${path}`,
      { agent: false, headers: { Authorization: adminAuth(s) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
  });

export const minutesAgo = (s: Sandbox, minutes: number) =>
  Math.floor(s.now().getTime() / 1000) - minutes * 60;
