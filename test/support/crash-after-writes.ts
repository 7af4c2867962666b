import type { MiddlewareClient } from '../../local/grant-guard.js';

/**
 * Failure injection for "a crash after every individual write": SDK middleware, shared by a
 * function's DynamoDB and SQS clients, that counts the calls that change something (a put, a
 * batch write, a transaction, a send) and, once the `crashAfter`-th of them has completed, fails it
 * and every call after it, as if the process had died right after that write reached AWS. Calls
 * already in flight complete, as they would.
 */
export class Crash extends Error {
  override readonly name = 'Crash';
}

const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'SendMessageCommand',
  'SendMessageBatchCommand',
]);

export interface CrashSwitch {
  /** Writes completed so far. */
  readonly writes: number;
  readonly crashed: boolean;
  install<C extends MiddlewareClient>(client: C): C;
}

/** `crashAfter` undefined: count only, never crash. */
export const crashAfterWrites = (crashAfter: number | undefined): CrashSwitch => {
  let writes = 0;
  let crashed = false;
  return {
    get writes() {
      return writes;
    },
    get crashed() {
      return crashed;
    },
    install(client) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (crashed) throw new Crash('the process is gone');
          const out = await next(args);
          if (WRITES.has(context.commandName ?? '')) {
            writes += 1;
            if (writes === crashAfter) {
              crashed = true;
              throw new Crash(`crashed after write ${writes}`);
            }
          }
          return out;
        },
        { step: 'initialize', name: 'crashAfterWrites', priority: 'low' },
      );
      return client;
    },
  };
};
