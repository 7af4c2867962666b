/**
 * DynamoDB failure shapes the repositories rely on. A conditional write fails with
 * ConditionalCheckFailedException; in a transaction, with TransactionCanceledException whose
 * CancellationReasons has one entry per action, in order, with Code `ConditionalCheckFailed` at the
 * action whose condition failed and `None` elsewhere (checked against DynamoDB Local in
 * test/integration/pipeline/transactions.test.ts).
 */
interface CancellationReason {
  readonly Code?: string;
}

const errorName = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined;

export const cancellationCodes = (error: unknown): string[] | undefined => {
  if (errorName(error) !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
};

/** True for a failed condition: of a single write, or (given `index`) of that transaction action. */
export const isConditionFailure = (error: unknown, index?: number): boolean => {
  if (errorName(error) === 'ConditionalCheckFailedException') return true;
  const codes = cancellationCodes(error);
  if (!codes) return false;
  return index === undefined
    ? codes.includes('ConditionalCheckFailed')
    : codes[index] === 'ConditionalCheckFailed';
};

/** A conditional write: true when it was made, false when its condition refused it. */
export const writtenUnlessRefused = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};
