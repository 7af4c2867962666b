import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AppliedWrites,
  ConcurrentCounterUpdateError,
  storedWriterTags,
  withWriterTags,
  writerTag,
  type PlannedWrite,
  type WriterTags,
} from '../../../shared/store/applied-writes.js';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(db);
const writes = new AppliedWrites(db, 'markers');

const built: string[] = [];
const put = (n: number, expectedVersion = 0, tags: WriterTags = {}): PlannedWrite => {
  const id = `q#${String(n).padStart(3, '0')}`;
  return {
    id,
    writers: () => tags,
    build: () => {
      built.push(id);
      return {
        table: 'history',
        item: { pk: id, sk: 's', contacts: n, version: expectedVersion + 1 },
        expectedVersion,
      };
    },
  };
};

const conditionFailed = () => Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });

const sentPuts = () => ddb.commandCalls(PutCommand).map((c) => c.args[0].input);

describe('AppliedWrites.commit', () => {
  beforeEach(() => {
    built.length = 0;
    ddb.reset();
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
  });

  it('sorts the writes and commits them 99 at a time, each chunk followed by its own marker', async () => {
    const input = Array.from({ length: 150 }, (_, i) => put(149 - i, 1));
    await expect(writes.commit('i1#page', input, 99)).resolves.toBe(2);
    const puts = sentPuts();
    const markers = puts
      .filter((p) => p.TableName === 'markers')
      .sort((a, b) => String(a.Item?.pk).localeCompare(String(b.Item?.pk)));
    expect(markers).toEqual([
      {
        TableName: 'markers',
        Item: { pk: 'i1#page#0', expiresAt: 99 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      {
        TableName: 'markers',
        Item: { pk: 'i1#page#1', expiresAt: 99 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    ]);
    const counters = puts.filter((p) => p.TableName === 'history').map((p) => p.Item?.pk as string);
    expect(counters).toHaveLength(150);
    // Each chunk's marker comes after every counter of its chunk.
    for (const [n, first, last] of [
      [0, 0, 98],
      [1, 99, 149],
    ] as const) {
      const markerAt = puts.findIndex((p) => p.Item?.pk === `i1#page#${n}`);
      for (let i = first; i <= last; i++)
        expect(puts.findIndex((p) => p.Item?.pk === `q#${String(i).padStart(3, '0')}`)).toBeLessThan(
          markerAt,
        );
    }
  });

  it('rule: a known counter is put on its own under the version it was read with, tagged with the message; no transaction', async () => {
    await writes.commit('m', [put(1, 3, { writtenBy: ['older'] })], 7);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(sentPuts()).toEqual([
      {
        TableName: 'history',
        Item: { pk: 'q#001', sk: 's', contacts: 1, version: 4, writtenBy: [writerTag('m')] },
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': 3 },
      },
      {
        TableName: 'markers',
        Item: { pk: 'm#0', expiresAt: 7 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    ]);
  });

  it('rule: a new counter is created in a batch before the known ones and the marker, tagged with the message', async () => {
    await expect(writes.commit('m', [put(1, 3), put(2)], 7)).resolves.toBe(1);
    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'BatchWriteCommand',
      'PutCommand',
      'PutCommand',
    ]);
    expect(ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems).toEqual({
      history: [
        {
          PutRequest: {
            Item: { pk: 'q#002', sk: 's', contacts: 2, version: 1, writtenBy: [writerTag('m')] },
          },
        },
      ],
    });
    expect(sentPuts().map((p) => p.Item?.pk)).toEqual(['q#001', 'm#0']);
  });

  it('rule: a counter keeps, behind its writer’s tag, the tags of unfinished writers only, and a creation tag from before the tags', async () => {
    await writes.commit(
      'm',
      [put(1, 9, { createdBy: 'creator', writtenBy: ['w4', 'w3', 'w2', 'w1'] })],
      7,
      new Set(),
      new Set(['w3', 'w1', 'not on it']),
    );
    expect(sentPuts()[0]?.Item).toEqual({
      pk: 'q#001',
      sk: 's',
      contacts: 1,
      version: 10,
      createdBy: 'creator',
      writtenBy: [writerTag('m'), 'w3', 'w1'],
    });
  });

  it('rule: a counter an earlier attempt of the message wrote holds its contribution: neither computed nor written again', async () => {
    const tag = writerTag('m');
    await writes.commit(
      'm',
      [
        put(1, 1, { writtenBy: [tag] }),
        put(2, 4, { writtenBy: ['later', tag] }),
        put(3, 2, { createdBy: tag }),
        put(4, 4, { createdBy: 'another', writtenBy: ['another'] }),
      ],
      7,
    );
    expect(built).toEqual(['q#004']);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(sentPuts().map((p) => p.Item?.pk)).toEqual(['q#004', 'm#0']);
  });

  it('builds and sends only the chunks not committed before: membership by id alone', async () => {
    const input = Array.from({ length: 150 }, (_, i) => put(i, 1));
    await expect(writes.commit('m', input, 1, new Set([0]))).resolves.toBe(1);
    expect(
      sentPuts()
        .filter((p) => p.TableName === 'markers')
        .map((p) => p.Item?.pk),
    ).toEqual(['m#1']);
    expect(built).toEqual(input.slice(99).map((w) => w.id));
  });

  it('rule: a chunk whose marker another attempt put meanwhile is not counted as written now', async () => {
    ddb.on(PutCommand, { TableName: 'markers' }).rejects(conditionFailed());
    await expect(writes.commit('m', [put(1, 1)], 1)).resolves.toBe(0);
  });

  it('rule: a counter moved since it was read fails the message, before the marker', async () => {
    ddb.on(PutCommand, { TableName: 'history' }).rejects(conditionFailed());
    await expect(writes.commit('m', [put(1, 1)], 1)).rejects.toBeInstanceOf(ConcurrentCounterUpdateError);
    expect(sentPuts().filter((p) => p.TableName === 'markers')).toEqual([]);
  });

  it('refuses two writes of one id in a message', async () => {
    await expect(writes.commit('m', [put(1), put(1)], 1)).rejects.toThrow('m: two writes have the id q#001');
  });
});

describe('a counter’s writer tags, read with it and passed on by its next write', () => {
  it('reads the item’s tags, and nothing when the item has none or a stray value', () => {
    expect(withWriterTags({ count: 3 }, { createdBy: 'abc' })).toEqual({ count: 3, createdBy: 'abc' });
    expect(withWriterTags({ count: 3 }, { writtenBy: ['a', 'b'] })).toEqual({
      count: 3,
      writtenBy: ['a', 'b'],
    });
    expect(withWriterTags({ count: 3 }, { writtenBy: ['a', 5] })).toEqual({ count: 3, writtenBy: ['a'] });
    expect(withWriterTags({ count: 3 }, {})).toEqual({ count: 3 });
    expect(withWriterTags({ count: 3 }, { createdBy: 7, writtenBy: 'a' })).toEqual({ count: 3 });
  });
  it('passes on the tags of the counter a write was computed from, and none for a new one', () => {
    expect(storedWriterTags({ createdBy: 'abc', writtenBy: ['d'] })).toEqual({
      createdBy: 'abc',
      writtenBy: ['d'],
    });
    expect(storedWriterTags({})).toEqual({});
    expect(storedWriterTags(undefined)).toEqual({});
  });
  it('tags a message by a hash of its chunk marker, 11 characters', () => {
    expect(writerTag('m')).toHaveLength(11);
    expect(writerTag('m')).toBe(writerTag('m'));
    expect(writerTag('m')).not.toBe(writerTag('m#days'));
  });
});

describe('the integration’s unfinished writers', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('rule: a message is listed by its chunk marker, with its marker, and removed by it', async () => {
    ddb.on(UpdateCommand).resolves({});
    await writes.beginWriting('i1', 'i1#p#days', 'i1#p');
    await writes.endWriting('i1', 'i1#p#days');
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: 'markers',
        Key: { pk: 'i1#writing' },
        UpdateExpression: 'SET #m = :marker',
        ExpressionAttributeNames: { '#m': 'i1#p#days' },
        ExpressionAttributeValues: { ':marker': 'i1#p' },
      },
      {
        TableName: 'markers',
        Key: { pk: 'i1#writing' },
        UpdateExpression: 'REMOVE #m',
        ExpressionAttributeNames: { '#m': 'i1#p#days' },
      },
    ]);
  });

  it('rule: the tags kept are those of the other unfinished messages; one whose marker exists is removed instead', async () => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: 'i1#writing' } }).resolves({
      Item: { pk: 'i1#writing', 'i1#a#days': 'i1#a', 'i1#b#days': 'i1#b', 'i1#me#days': 'i1#me' },
    });
    ddb.on(GetCommand, { Key: { pk: 'i1#a' } }).resolves({});
    ddb.on(GetCommand, { Key: { pk: 'i1#b' } }).resolves({ Item: { pk: 'i1#b', expiresAt: 1 } });
    const kept = await writes.unfinishedWriterTags('i1', 'i1#me');
    expect([...kept]).toEqual([writerTag('i1#a#days')]);
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.ExpressionAttributeNames)).toEqual([
      { '#m': 'i1#b#days' },
    ]);
  });

  it('rule: no unfinished writer, no tag kept and nothing else read', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(writes.unfinishedWriterTags('i1', 'i1#me')).resolves.toEqual(new Set());
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
  });
});
