import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * AWS Secrets Manager as a Lambda's SDK client talks to it (the JSON 1.1 protocol: one POST per
 * call, the operation in `X-Amz-Target`), for the operations the functions use, on a free loopback
 * port. Enough for a bundle that builds its clients from its environment to read and rotate an
 * integration's credentials offline; it keeps each secret's latest string in memory.
 */
export interface SecretsManagerStandIn {
  readonly endpoint: string;
  /** The secret's latest value, as a function last wrote it. */
  value(name: string): string | undefined;
  put(name: string, value: string): void;
  /** Operations served, in order (e.g. `GetSecretValue zendesk-wfm/acme`). */
  readonly calls: string[];
  stop(): Promise<void>;
}

const arnOf = (name: string) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`;

const bodyOf = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
};

const answer = (res: ServerResponse, status: number, body: object, errorType?: string) => {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(errorType ? { __type: errorType, ...body } : body));
};

export const startSecretsManagerStandIn = async (): Promise<SecretsManagerStandIn> => {
  const secrets = new Map<string, string>();
  const calls: string[] = [];
  let versions = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      const input = await bodyOf(req);
      const name = String(input.SecretId ?? input.Name ?? '');
      calls.push(`${operation} ${name}`);
      const version = () => `v${(versions += 1)}`;
      switch (operation) {
        case 'GetSecretValue': {
          const value = secrets.get(name);
          if (value === undefined)
            return answer(
              res,
              400,
              { message: "Secrets Manager can't find the specified secret." },
              'ResourceNotFoundException',
            );
          return answer(res, 200, {
            ARN: arnOf(name),
            Name: name,
            SecretString: value,
            VersionId: version(),
            VersionStages: ['AWSCURRENT'],
          });
        }
        case 'PutSecretValue':
          if (!secrets.has(name))
            return answer(
              res,
              400,
              { message: "Secrets Manager can't find the specified secret." },
              'ResourceNotFoundException',
            );
          secrets.set(name, String(input.SecretString));
          return answer(res, 200, {
            ARN: arnOf(name),
            Name: name,
            VersionId: version(),
            VersionStages: ['AWSCURRENT'],
          });
        case 'CreateSecret':
          if (secrets.has(name))
            return answer(
              res,
              400,
              { message: `The operation failed because the secret ${name} already exists.` },
              'ResourceExistsException',
            );
          secrets.set(name, String(input.SecretString));
          return answer(res, 200, { ARN: arnOf(name), Name: name, VersionId: version() });
        default:
          return answer(
            res,
            400,
            { message: `${operation} is not served by this stand-in` },
            'InvalidRequestException',
          );
      }
    })().catch((error: unknown) => answer(res, 500, { message: String(error) }, 'InternalServiceError'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    value: (name) => secrets.get(name),
    put: (name, value) => {
      secrets.set(name, value);
    },
    calls,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // The SDK keeps its connections alive; close them so the port is free at once.
        server.closeAllConnections();
      }),
  };
};
