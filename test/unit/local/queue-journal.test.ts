import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  JournalWriteError,
  liveMessages,
  mergedLive,
  QueueJournal,
  restorable,
  type JournaledMessage,
} from '../../../local/queue-journal.js';

const msg = (id: string, queue = 'zendesk-wfm-changes.fifo'): JournaledMessage => ({
  queue,
  id,
  body: `{"page":"${id}"}`,
  groupId: 'integration-1',
  deduplicationId: `dedup-${id}`,
});

describe('the queue journal (a local run loses no queued message)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'journal-'));
    file = join(dir, 'queue-journal.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['sent and never deleted: pending, in the order sent', ['s:a', 's:b', 's:c'], ['a', 'b', 'c']],
    ['a deleted message is done', ['s:a', 's:b', 'd:a'], ['b']],
    [
      'a message moved to a dead-letter queue (sent again under its id) is pending there, in its place',
      ['s:a', 's:b', 'S:a'],
      ['a@dlq', 'b'],
    ],
    ['a deletion of an unknown id changes nothing', ['s:a', 'd:x'], ['a']],
    ['a moved message deleted from the dead-letter queue (redriven) is done', ['s:a', 'S:a', 'd:a'], []],
  ])('%s', (_rule, ops, expected) => {
    const lines = ops.map((op) => {
      const [kind, id] = op.split(':') as [string, string];
      if (kind === 'd') return JSON.stringify({ op: 'delete', id });
      return JSON.stringify({ op: 'send', ...msg(id, kind === 'S' ? 'dlq' : 'q') });
    });
    expect(
      liveMessages(lines.join('\n') + '\n').map((m) => (m.queue === 'dlq' ? `${m.id}@dlq` : m.id)),
    ).toEqual(expected);
  });

  it('a move is kept across a start: the next run puts the message back in the dead-letter queue', () => {
    const first = QueueJournal.open(file);
    first.journal.recordSends([msg('a'), msg('b')]);
    first.journal.recordMoves([
      { id: 'a', queue: 'zendesk-wfm-changes-dlq.fifo' },
      { id: 'unknown', queue: 'zendesk-wfm-changes-dlq.fifo' },
    ]);
    first.journal.close();
    // Written as a send of the same id, which every version reads as the message now there.
    expect(readFileSync(file, 'utf8').trim().split('\n')).toEqual(
      [msg('a'), msg('b'), { ...msg('a'), queue: 'zendesk-wfm-changes-dlq.fifo' }].map((m) =>
        JSON.stringify({ op: 'send', ...m }),
      ),
    );

    const second = QueueJournal.open(file);
    second.journal.close();
    expect(second.pending).toEqual([{ ...msg('a'), queue: 'zendesk-wfm-changes-dlq.fifo' }, msg('b')]);
  });

  it('a line cut short by a crash is ignored: its send was never acknowledged', () => {
    const text = `${JSON.stringify({ op: 'send', ...msg('a') })}\n{"op":"send","queue":"q","id":"b","bo`;
    expect(liveMessages(text).map((m) => m.id)).toEqual(['a']);
  });

  it('a new run gets back what the last one left, and keeps it until settled', () => {
    const first = QueueJournal.open(file);
    expect(first.pending).toEqual([]);
    first.journal.recordSends([msg('a'), msg('b')]);
    first.journal.recordDeletes(['a']);
    first.journal.close(); // or the process dies: nothing more is written either way

    const second = QueueJournal.open(file);
    expect(second.pending).toEqual([msg('b')]);
    // Dies while restoring: the previous file still holds b.
    second.journal.close();
    const third = QueueJournal.open(file);
    expect(third.pending).toEqual([msg('b')]);
    third.journal.recordSends([{ ...msg('b2') }]);
    third.journal.settled();
    third.journal.close();
    expect(existsSync(`${file}.previous`)).toBe(false);
    expect(QueueJournal.open(file).pending).toEqual([msg('b2')]);
  });

  it('a send that cannot be written (no space) is refused, and every later one too', () => {
    let full = false;
    const { journal } = QueueJournal.open(file, {
      appendSync: (fd, text) => {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        appendFileSync(fd, text);
      },
      fsyncSync: () => undefined,
    });
    journal.recordSends([msg('a')]);
    full = true;
    expect(() => journal.recordSends([msg('b')])).toThrow(new JournalWriteError(file, 'ENOSPC'));
    expect(journal.failure?.message).toBe(`no space left in ${file}`);
    full = false;
    expect(() => journal.recordSends([msg('c')])).toThrow(JournalWriteError);
    journal.close();
    expect(liveMessages(readFileSync(file, 'utf8')).map((m) => m.id)).toEqual(['a']);
  });

  it('a deduplicated send (answered with the id of a message journaled before) journals nothing: a deleted message stays deleted, a live one keeps its body', () => {
    let now = 1_000_000;
    const first = QueueJournal.open(file, undefined, () => now);
    first.journal.recordSends([msg('a'), msg('b')]);
    first.journal.recordDeletes(['a']);
    // Within SQS's five minutes, the same deduplication ids again: answered with a's and b's ids.
    // b's resend says less (a page redone after part of its work was saved): the queue holds the
    // first b, and so must the journal.
    now += 5 * 60_000;
    first.journal.recordSends([
      msg('a'),
      { ...msg('b'), body: '{"page":"b","fewer":true}' },
      msg('c'),
      msg('c'),
    ]);
    expect(first.journal.liveCount).toBe(2);
    first.journal.close();
    expect(QueueJournal.open(file).pending).toEqual([msg('b'), msg('c')]);
  });

  it('a deleted message is remembered for the deduplication interval only, so the memory stays bounded', () => {
    let now = 1_000_000;
    const { journal } = QueueJournal.open(file, undefined, () => now);
    journal.recordSends([msg('a'), msg('b')]);
    journal.recordDeletes(['a']);
    now += 5 * 60_000 + 1;
    // The next deletion forgets a: no answer can name it any more.
    journal.recordDeletes(['b']);
    journal.recordSends([msg('a')]);
    journal.close();
    expect(QueueJournal.open(file).pending).toEqual([msg('a')]);
  });

  it('a previous file beside a current one: both are restored, a copy the dead restore re-sent once, and neither file is lost to a second death', () => {
    const line = (m: JournaledMessage) => `${JSON.stringify({ op: 'send', ...m })}\n`;
    writeFileSync(`${file}.previous`, line(msg('x')) + line(msg('y')));
    // The restore re-sent x (a new id, the same content) and died; or the files were put back by
    // hand, and the current one holds work of its own (z), and y's copy done and deleted: y is
    // restored again all the same (done twice, which every step takes, rather than lost).
    const copyOfX = { ...msg('x'), id: 'x-again' };
    writeFileSync(
      file,
      line(copyOfX) +
        line({ ...msg('y'), id: 'y-again' }) +
        line(msg('z')) +
        `${JSON.stringify({ op: 'delete', id: 'y-again' })}\n`,
    );
    const opened = QueueJournal.open(file);
    opened.journal.close();
    expect(opened.pending).toEqual([msg('x'), msg('y'), msg('z')]);
    // Merged into the previous file: a death before the restore settles restores the same again.
    expect(QueueJournal.open(file).pending).toEqual([msg('x'), msg('y'), msg('z')]);
  });

  it('a merge takes a copy re-sent under a restored deduplication id as a copy too', () => {
    const a = { ...msg('a'), body: '{"page":"p1"}' };
    const b = { ...msg('b'), deduplicationId: 'dedup-a', body: '{"page":"p1","again":true}' };
    const line = (m: JournaledMessage) => `${JSON.stringify({ op: 'send', ...m })}\n`;
    expect(
      mergedLive(
        line(a) + line(b),
        line({ ...a, id: 'a-again' }) + line({ ...b, id: 'b-again', deduplicationId: 'dedup-a:restored-1' }),
      ),
    ).toEqual([a, b]);
  });

  it.each([
    ['distinct deduplication ids are kept', [msg('a'), msg('b')], ['dedup-a', 'dedup-b']],
    [
      'a repeat in the same queue (sent after the interval) gets an id of its own, the first keeps its',
      [
        msg('a'),
        msg('b'),
        { ...msg('a2'), deduplicationId: 'dedup-a' },
        { ...msg('a3'), deduplicationId: 'dedup-a' },
      ],
      ['dedup-a', 'dedup-b', 'dedup-a:restored-1', 'dedup-a:restored-2'],
    ],
    [
      'the same id in another queue is no repeat (deduplication is per queue)',
      [msg('a'), { ...msg('a', 'zendesk-wfm-updates.fifo'), id: 'other' }],
      ['dedup-a', 'dedup-a'],
    ],
  ])('restorable: %s', (_rule, pending, expected) => {
    const out = restorable(pending);
    expect(out.map((m) => m.deduplicationId)).toEqual(expected);
    expect(out.map(({ deduplicationId: _d, ...m }) => m)).toEqual(
      pending.map(({ deduplicationId: _d, ...m }) => m),
    );
  });

  it('restorable: a message without a deduplication id (a standard queue) is left as it is', () => {
    const { deduplicationId: _d, ...standard } = msg('a', 'zendesk-wfm-fetch-jobs');
    expect(restorable([standard, standard])).toEqual([standard, standard]);
  });
});
