import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { reasonAttribute, SqsDeadLetters } from '../../../shared/messages/dead-letters.js';

describe('reasonAttribute: a parked message’s reason as SQS accepts it (AWS refuses what local mode’s emulator lets through)', () => {
  it.each<[string, string, string]>([
    [
      'a plain reason is kept as it is',
      'updates: field events[3].via: expected object',
      'updates: field events[3].via: expected object',
    ],
    ['tabs, line feeds and carriage returns are allowed', 'a\tb\nc\rd', 'a\tb\nc\rd'],
    [
      'a control character SQS refuses becomes U+FFFD',
      'Zendesk said \u0000\u0007bad',
      'Zendesk said \uFFFD\uFFFDbad',
    ],
    ['a lone half of a surrogate pair becomes U+FFFD', 'bad \uD83D text', 'bad \uFFFD text'],
    ['U+FFFE and U+FFFF are refused too', 'x\uFFFEy\uFFFFz', 'x\uFFFDy\uFFFDz'],
    ['a character outside the basic plane is kept whole', 'ok 😀', 'ok 😀'],
  ])('%s', (_name, reason, expected) => {
    expect(reasonAttribute(reason)).toBe(expected);
  });

  it('is cut at 4000 characters, never inside one: an emoji on the cut stays whole', () => {
    const reason = `${'a'.repeat(3999)}😀tail`;
    const cut = reasonAttribute(reason);
    expect(Array.from(cut)).toHaveLength(4000);
    expect(cut.endsWith('a😀')).toBe(true);
  });
});

describe('SqsDeadLetters.park', () => {
  const sqs = new SQSClient({ region: 'eu-west-1' });
  const stub = mockClient(sqs);
  beforeEach(() => {
    stub.reset();
    stub.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  });

  it('sends the reason as SQS accepts it, and the body unchanged', async () => {
    const dlq = 'https://sqs.eu-west-1.amazonaws.com/123456789012/zendesk-wfm-updates-dlq.fifo';
    await new SqsDeadLetters(sqs, { updates: dlq }).park(
      'updates',
      '{"a":1}',
      'failed: \u0000 \uD800',
      'int-1',
    );
    const [call] = stub.commandCalls(SendMessageCommand);
    expect(call!.args[0].input).toMatchObject({
      QueueUrl: dlq,
      MessageBody: '{"a":1}',
      MessageAttributes: { reason: { DataType: 'String', StringValue: 'failed: \uFFFD \uFFFD' } },
      MessageGroupId: 'int-1',
    });
  });
});
