import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB Local answers a TransactWriteItems before the transaction's SQLite COMMIT has run: the
 * commit is a job on the database's one work queue, and the answer does not wait for it. Java
 * killed in that moment (SIGKILL: the OOM killer, a `kill -9`, the reaper's last resort, a power
 * cut with the page cache) loses a transaction it has answered. That was seen on a loaded machine:
 * killed right after the answer, about half the transactions were gone after a restart, while
 * every PutItem, UpdateItem and BatchWriteItem was kept. The queue journal then deletes the message
 * whose work was answered, and nothing would bring that work back.
 *
 * Any later request is a job behind that COMMIT on the same queue, so its answer means the commit
 * has run. So every answered transaction is followed, before its caller hears the answer, by one
 * ListTables through `barrier`: a client of local mode's own, without a function's grant checks or
 * the benchmark's counts (on AWS there is no such call: an answered transaction is durable there).
 * Measured the same way with it, no transaction was lost.
 */
export const awaitTransactionCommits = <C extends Pick<DynamoDBClient, 'middlewareStack'>>(
  client: C,
  barrier: DynamoDBClient,
): C => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== undefined && TRANSACTIONS.has(context.commandName)) {
        try {
          await barrier.send(new ListTablesCommand({ Limit: 1 }));
        } catch (error) {
          // Said as what it is: the transaction's answer came, its commit is not known to have run.
          throw new Error(
            `DynamoDB Local answered ${context.commandName.replace(/Command$/, '')} but not the read that waits for its commit (${(error as Error).message}): it is not known to be stored`,
            { cause: error },
          );
        }
      }
      return result;
    },
    { step: 'initialize', name: 'localTransactionCommitBarrier' },
  );
  return client;
};

/** The transaction commands (the product sends no PartiQL ExecuteTransaction; it is covered should one come). */
const TRANSACTIONS: ReadonlySet<string> = new Set(['TransactWriteItemsCommand', 'ExecuteTransactionCommand']);
