import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';

/**
 * The write-ahead journal that makes the in-memory SQS emulator as durable as SQS itself.
 *
 * Fetched pages live only in queues between the fetch stage (which advances its cursor in DynamoDB
 * Local, on disk, once a page is sent) and the aggregator. If the queues die with the process, every
 * page fetched but not yet aggregated is lost for good: the cursor is past it. So every accepted
 * message is appended here, and synced to disk, before the emulator answers the send; every
 * deletion is appended after it. After any end, clean or not, the messages sent and not deleted are
 * exactly the work in flight, and the next start puts them back in their queues in their original
 * order. The stages are idempotent under redelivery (SQS delivers at least once on AWS too), so work
 * that was half done when the process died is simply done again.
 *
 * Format: one JSON object a line. A line cut short by a crash or a full disk can only be the last
 * one, and is ignored: the send it describes was never acknowledged.
 */
export interface JournaledMessage {
  /** The queue's name (the last segment of its URL). */
  readonly queue: string;
  readonly id: string;
  readonly body: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  /** Wall-clock ms before which the message is not delivered (DelaySeconds). */
  readonly notBefore?: number;
  readonly attributes?: Record<string, { DataType: string; StringValue?: string }>;
}

/**
 * A `send` of an id already live moves that message: the emulator's redrive policy put it in its
 * dead-letter queue (after maxReceiveCount receives), so the next start puts it back there, in its
 * place, and it stays parked. A move is written as a send, which every version reads so.
 */
type Line = ({ op: 'send' } & JournaledMessage) | { op: 'delete'; id: string };

/** A message the emulator moved by itself, and the queue it is in now. */
export interface JournaledMove {
  readonly id: string;
  readonly queue: string;
}

/** The journal's file could not be written (a full disk, most likely): the run must stop. */
export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
  constructor(
    readonly file: string,
    readonly code: string | undefined,
  ) {
    super(
      code === 'ENOSPC'
        ? `no space left in ${file}`
        : `the queue journal ${file} cannot be written (${code ?? 'unknown error'})`,
    );
  }
}

const parseLines = (text: string): Line[] => {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    if (raw.length === 0) continue;
    try {
      lines.push(JSON.parse(raw) as Line);
    } catch {
      // A torn last line: its send was never acknowledged.
    }
  }
  return lines;
};

/** The messages a journal holds that were sent and not deleted, in the order they were sent. */
export const liveMessages = (text: string): JournaledMessage[] => {
  const live = new Map<string, JournaledMessage>();
  for (const line of parseLines(text)) {
    if (line.op === 'send') {
      const { op: _op, ...message } = line;
      live.set(message.id, message);
    } else live.delete(line.id);
  }
  return [...live.values()];
};

/**
 * The live messages of a previous journal and of the current one, the previous file's first. A
 * message of the current file that is a copy of a previous one (the same queue, group,
 * deduplication id and body: re-sent by a restore that died) is left out; one that differs is work
 * of its own and kept.
 */
export const mergedLive = (previousText: string, currentText: string): JournaledMessage[] => {
  // A restore sends a repeat under `<id>:restored-<n>` (restorable): still a copy.
  const contentOf = (m: JournaledMessage) =>
    JSON.stringify([m.queue, m.groupId, m.deduplicationId?.replace(/:restored-\d+$/, ''), m.body]);
  const earlier = liveMessages(previousText);
  const copied = new Set(earlier.map(contentOf));
  const ids = new Set(earlier.map((m) => m.id));
  return [
    ...earlier,
    ...liveMessages(currentText).filter((m) => !ids.has(m.id) && !copied.has(contentOf(m))),
  ];
};

/**
 * The pending messages as the next start sends them again. Two of them can share a deduplication id
 * in one queue: SQS enqueued the second because it came after the first's deduplication interval
 * (a page sent again while the first still waited behind a long backlog). Sent again within one
 * moment, the queue would drop the second, which SQS had kept; so each repeat gets an id of its own.
 * The first keeps its id, so a producer's resend soon after the start is still deduplicated.
 */
export const restorable = (pending: readonly JournaledMessage[]): JournaledMessage[] => {
  const seen = new Map<string, number>();
  return pending.map((m) => {
    if (m.deduplicationId === undefined) return m;
    const key = JSON.stringify([m.queue, m.deduplicationId]);
    const repeats = seen.get(key);
    seen.set(key, (repeats ?? -1) + 1);
    return repeats === undefined
      ? m
      : { ...m, deduplicationId: `${m.deduplicationId}:restored-${repeats + 1}` };
  });
};

/** When the file has grown past this and holds mostly deleted messages, it is rewritten. */
const COMPACT_AT_BYTES = 64 * 1024 * 1024;

/**
 * SQS FIFO's deduplication interval. A send whose deduplication id a message sent within it had is
 * accepted and enqueues nothing, and is answered with that message's id: after this long from its
 * deletion, no answer can name a message again.
 */
const DEDUPLICATION_INTERVAL_MS = 5 * 60_000;

export interface JournalFileSystem {
  appendSync(fd: number, text: string): void;
  fsyncSync(fd: number): void;
}

const nodeFileSystem: JournalFileSystem = {
  appendSync: (fd, text) => {
    const buffer = Buffer.from(text);
    let written = 0;
    while (written < buffer.length) written += writeSync(fd, buffer, written);
  },
  fsyncSync,
};

export class QueueJournal {
  private fd: number;
  private size = 0;
  private readonly live = new Map<string, string>();
  /** Messages deleted within the deduplication interval, with when (ms): in deletion order. */
  private readonly deleted = new Map<string, number>();
  private failureError: JournalWriteError | undefined;

  private constructor(
    readonly file: string,
    private readonly fs: JournalFileSystem,
    private readonly now: () => number,
  ) {
    this.fd = openSync(file, 'a', 0o600);
  }

  /**
   * Opens the journal at `file` for a new run and returns the work the last run left: the messages
   * to put back in their queues before anything else runs. They are journaled again as they are
   * re-sent; the previous file is kept aside until `settled()` says they all are, so a crash while
   * restoring restores from it again.
   */
  static open(
    file: string,
    fs: JournalFileSystem = nodeFileSystem,
    now: () => number = Date.now,
  ): { journal: QueueJournal; pending: JournaledMessage[] } {
    const previous = `${file}.previous`;
    if (existsSync(previous) && existsSync(file)) {
      // Both: the last start died while restoring (the current file holds copies of the previous
      // one's messages), or the folder's files were put back by hand (from a backup, a copy), when
      // the current one may hold work of its own. Deleting either could lose work: they are merged
      // into the previous file.
      const merged = mergedLive(readFileSync(previous, 'utf8'), readFileSync(file, 'utf8'));
      const next = `${previous}.next`;
      const fd = openSync(next, 'w', 0o600);
      try {
        fs.appendSync(fd, merged.map((m) => `${JSON.stringify({ op: 'send', ...m })}\n`).join(''));
        fs.fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(next, previous);
      rmSync(file, { force: true });
    } else if (existsSync(file)) {
      renameSync(file, previous);
    }
    const pending = existsSync(previous) ? liveMessages(readFileSync(previous, 'utf8')) : [];
    return { journal: new QueueJournal(file, fs, now), pending };
  }

  /** The write that failed, if one did: every send since has been refused. */
  get failure(): JournalWriteError | undefined {
    return this.failureError;
  }

  /** Messages sent and not deleted, as far as this journal knows. */
  get liveCount(): number {
    return this.live.size;
  }

  /** Called once every pending message of `open` is in its queue (and so journaled anew). */
  settled(): void {
    rmSync(`${this.file}.previous`, { force: true });
  }

  /**
   * Records accepted sends durably (synced) before the emulator acknowledges them. A send answered
   * with the id of a message already journaled was deduplicated: nothing was enqueued, and that
   * message is journaled already, or deleted since, and journaling it again would put a message
   * the queues no longer hold back in them at the next start, behind the work that followed it.
   */
  recordSends(messages: readonly JournaledMessage[]): void {
    const fresh = new Map<string, JournaledMessage>();
    for (const m of messages)
      if (!this.live.has(m.id) && !this.deleted.has(m.id) && !fresh.has(m.id)) fresh.set(m.id, m);
    if (fresh.size === 0) return;
    const lines = [...fresh.values()].map((m) => JSON.stringify({ op: 'send', ...m }));
    this.write(lines.map((l) => `${l}\n`).join(''), true);
    [...fresh.keys()].forEach((id, i) => this.live.set(id, lines[i]!));
  }

  /** Records deletions; not synced, since a deletion lost to a crash only means a harmless redelivery. */
  recordDeletes(ids: readonly string[]): void {
    const known = ids.filter((id) => this.live.has(id));
    if (known.length === 0) return;
    this.write(known.map((id) => `${JSON.stringify({ op: 'delete', id })}\n`).join(''), false);
    const now = this.now();
    for (const [id, at] of this.deleted) {
      if (now - at <= DEDUPLICATION_INTERVAL_MS) break;
      this.deleted.delete(id);
    }
    for (const id of known) {
      this.live.delete(id);
      this.deleted.set(id, now);
    }
    if (this.size > COMPACT_AT_BYTES) this.compact();
  }

  /**
   * Records messages the emulator moved to another queue by itself (its redrive policy). Synced:
   * a move lost to a crash would put parked work back in its queue at the next start, ahead of
   * whatever passed it since.
   */
  recordMoves(moves: readonly JournaledMove[]): void {
    const lines = moves.flatMap(({ id, queue }) => {
      const sent = this.live.get(id);
      return sent === undefined ? [] : [[id, JSON.stringify({ ...JSON.parse(sent), queue })] as const];
    });
    if (lines.length === 0) return;
    this.write(lines.map(([, line]) => `${line}\n`).join(''), true);
    for (const [id, line] of lines) this.live.set(id, line);
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(text: string, sync: boolean): void {
    if (this.failureError) throw this.failureError;
    try {
      this.fs.appendSync(this.fd, text);
      if (sync) this.fs.fsyncSync(this.fd);
      this.size += text.length;
    } catch (error) {
      this.failureError = new JournalWriteError(this.file, (error as NodeJS.ErrnoException).code);
      throw this.failureError;
    }
  }

  /** Rewrites the file with the live messages only (atomically: a new file renamed over the old). */
  private compact(): void {
    const next = `${this.file}.next`;
    const text = [...this.live.values()].map((l) => `${l}\n`).join('');
    const fd = openSync(next, 'w', 0o600);
    try {
      this.fs.appendSync(fd, text);
      this.fs.fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(next, { force: true });
      // The old file is still whole; compaction can wait for free space.
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return;
      throw error;
    }
    closeSync(fd);
    renameSync(next, this.file);
    closeSync(this.fd);
    this.fd = openSync(this.file, 'a', 0o600);
    this.size = text.length;
  }
}
