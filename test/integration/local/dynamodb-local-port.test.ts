import { createServer, type Server, type Socket } from 'node:net';
import { CreateTableCommand, ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb-local.js';
import { freeLoopbackPort } from '../../../local/free-port.js';
import { clientConfig } from '../../../shared/aws.js';

/**
 * Starts DynamoDB Local offered `taken` first, then free ports; expects it on the second port it
 * was offered, answering there with a database of its own (no tables), and stops it.
 */
const expectStartedOnTheNextPort = async (taken: number) => {
  const offered: number[] = [];
  const ports = [taken];
  const dynamodb = await startDynamoDbLocal({
    freePort: async () => {
      const port = ports.shift() ?? (await freeLoopbackPort());
      offered.push(port);
      return port;
    },
  });
  try {
    expect(offered).toHaveLength(2);
    expect(offered[0]).toBe(taken);
    expect(dynamodb.endpoint).toBe(`http://127.0.0.1:${offered[1]}`);
    const client = new DynamoDBClient(clientConfig(dynamodb.endpoint));
    await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    client.destroy();
  } finally {
    await dynamodb.stop();
  }
};

/**
 * Rule: a port found free can be taken before Java binds it (any connection's ephemeral port can
 * take it); DynamoDB Local then exits at once, and the start is made again on another free port.
 */
describe('DynamoDB Local on a port taken after it was found free', () => {
  let taken: Server;
  let takenPort: number;
  const connections = new Set<Socket>();
  beforeAll(async () => {
    // Whatever holds the port may accept a connection and never answer, as this one does.
    taken = createServer((socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
    });
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => taken.close(resolve));
  });

  it('starts on the next free port and answers there', async () => {
    await expectStartedOnTheNextPort(takenPort);
  });

  it('gives up after three taken ports, saying why', async () => {
    const offered: number[] = [];
    await expect(
      startDynamoDbLocal({
        freePort: async () => {
          offered.push(takenPort);
          return takenPort;
        },
      }),
    ).rejects.toThrow(/^DynamoDB Local exited \(1\) before it answered: .*Failed to bind/s);
    expect(offered).toEqual([takenPort, takenPort, takenPort]);
  });

  it('tries a port the caller chose once, and says it exited', async () => {
    await expect(startDynamoDbLocal({ port: takenPort })).rejects.toThrow(
      /^DynamoDB Local exited \(1\) before it answered/,
    );
  });
});

/**
 * Rule (nothing written to another install): when the port found free is taken by another DynamoDB
 * Local (another command's, on another folder or in memory), that one answers at once while ours is
 * still starting and has not yet failed to bind. An answer counts only from the DynamoDB Local this
 * start launched; otherwise a command would read and write another install's tables and report
 * success, its own folder untouched.
 */
describe('DynamoDB Local on a port another DynamoDB Local took after it was found free', () => {
  let other: DynamoDbLocal;
  let otherPort: number;
  beforeAll(async () => {
    other = await startDynamoDbLocal();
    otherPort = Number(new URL(other.endpoint).port);
    const client = new DynamoDBClient(clientConfig(other.endpoint));
    await client.send(
      new CreateTableCommand({
        TableName: 'another-install',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    client.destroy();
  }, 600_000);
  afterAll(async () => {
    await other?.stop();
  });

  it("does not take the other one's answer for its own: it starts on the next free port, with its own (empty) database", async () => {
    await expectStartedOnTheNextPort(otherPort);
  }, 600_000);

  it('refuses a port the caller chose that another DynamoDB Local holds, saying it exited', async () => {
    await expect(startDynamoDbLocal({ port: otherPort })).rejects.toThrow(
      /^DynamoDB Local exited \(1\) before it answered: .*Failed to bind/s,
    );
  }, 600_000);
});
