/**
 * integrations table, import-run items (beside IntegrationsRepository's items, which it tells
 * apart by `type`)
 *   pk = `import-run#${integrationId}`
 *   attrs: type = 'import-run', runId (the run reading the integration's streams, absent when none
 *   is), beat (N: epoch seconds, by the import's clock, when a fetch job of that run last went on),
 *   next (the latest run asked for while it read, started when it ends)
 * One import run at a time reads an integration's streams. A run starts on the schedule, on a
 * webhook's window, on a resume or a command; while one reads a year of history, every start would
 * otherwise chain a second reader of the same streams, whose requests only race the first one to
 * the same pages and spend Zendesk's export budget twice. A start while a run reads is kept as `next`
 * instead, and the run hands the turn to it when it ends, with no beat yet: until that run's first
 * job comes and beats, any start may take the turn, so a death between the hand-over and the send
 * of that job leaves nothing waiting (a start that takes it reads everything; the job, if it was
 * sent, then queues behind). A run whose jobs stopped coming is taken over once its beat is older
 * than the caller's staleness bound. Every write is an UpdateItem with a condition, so two
 * fetches at once agree on whose turn it is; an ended run's item stays, without a run.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { writtenUnlessRefused } from './errors.js';

const keyOf = (integrationId: string) => ({ pk: `import-run#${integrationId}` });

/** The attribute names every expression here may use (`next` and `type` are reserved words). */
const NAMES = { '#next': 'next', '#type': 'type' } as const;

export class ImportRunsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** One conditional UpdateItem of the integration's item: true when made, false when refused. */
  private update(
    integrationId: string,
    update: string,
    condition: string,
    values: Record<string, string | number>,
  ): Promise<boolean> {
    const names = Object.fromEntries(
      Object.entries(NAMES).filter(([name]) => `${update} ${condition}`.includes(name)),
    );
    return writtenUnlessRefused(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keyOf(integrationId),
          UpdateExpression: update,
          ConditionExpression: condition,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  /**
   * Takes or keeps the turn for `runId` (and beats): true when no run has it, `runId` has it, or the
   * run that has it last beat before `staleBefore`; false while another run reads.
   */
  claim(integrationId: string, runId: string, nowSeconds: number, staleBefore: number): Promise<boolean> {
    return this.update(
      integrationId,
      'SET #type = :type, runId = :run, beat = :now',
      'attribute_not_exists(runId) OR runId = :run OR beat < :stale',
      { ':type': 'import-run', ':run': runId, ':now': nowSeconds, ':stale': staleBefore },
    );
  }

  /**
   * Asks for `runId` to start when the run reading now ends (the latest ask replaces an earlier
   * one: either reads everything). False when no other run is reading any more: claim again.
   */
  queue(integrationId: string, runId: string, staleBefore: number): Promise<boolean> {
    return this.update(
      integrationId,
      'SET #next = :run',
      'attribute_exists(runId) AND runId <> :run AND beat >= :stale',
      { ':run': runId, ':stale': staleBefore },
    );
  }

  /**
   * Ends `runId`'s turn. The run asked for meanwhile, if any, gets the turn without a beat
   * (returned: its first job is the caller's to send); otherwise no run has it. Null also when
   * `runId` had lost it.
   */
  async finish(integrationId: string, runId: string): Promise<string | null> {
    for (;;) {
      const ended = await this.update(
        integrationId,
        'REMOVE runId, beat',
        'runId = :run AND attribute_not_exists(#next)',
        { ':run': runId },
      );
      if (ended) return null;
      const item = (
        await this.db.send(
          new GetCommand({ TableName: this.table, Key: keyOf(integrationId), ConsistentRead: true }),
        )
      ).Item;
      if (item?.runId !== runId || typeof item.next !== 'string') return null;
      const next = item.next;
      const handedOn = await this.update(
        integrationId,
        'SET runId = :next, beat = :never REMOVE #next',
        'runId = :run AND #next = :next',
        { ':run': runId, ':next': next, ':never': 0 },
      );
      // Refused: a later ask replaced `next` meanwhile; hand the turn to that one.
      if (handedOn) return next;
    }
  }

  /** Ends `runId`'s turn without starting the run asked for (the integration stopped importing). */
  async release(integrationId: string, runId: string): Promise<void> {
    await this.update(integrationId, 'REMOVE runId, beat, #next', 'runId = :run', { ':run': runId });
  }
}
