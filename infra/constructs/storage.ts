import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ALL_TABLES, type TableDefinition, type TableKey } from '../../shared/store/tables.js';

export interface StorageProps {
  /**
   * What happens on stack deletion to the tables whose definition says `retain` (history and
   * configuration a user cannot rebuild from Zendesk). The others can be rebuilt and are deleted.
   */
  readonly retainedDataRemovalPolicy: RemovalPolicy;
}

const STREAM_VIEW_TYPES: Readonly<Record<NonNullable<TableDefinition['stream']>, StreamViewType>> = {
  NEW_AND_OLD_IMAGES: StreamViewType.NEW_AND_OLD_IMAGES,
};

/**
 * Every DynamoDB table, built from the definitions in shared/store/tables.ts (the ones the local
 * stand-in creates): on-demand billing, point-in-time recovery, the definition's keys, stream and
 * TTL. CloudFormation names the tables; the functions learn the names through each definition's
 * environment variable.
 */
export class Storage extends Construct {
  private readonly tables = new Map<
    TableKey,
    { readonly definition: TableDefinition; readonly table: Table }
  >();

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    for (const definition of ALL_TABLES) {
      const table = new Table(this, definition.key, {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
        ...(definition.sortKey ? { sortKey: { name: 'sk', type: AttributeType.STRING } } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        ...(definition.stream ? { stream: STREAM_VIEW_TYPES[definition.stream] } : {}),
        ...(definition.ttlAttribute ? { timeToLiveAttribute: definition.ttlAttribute } : {}),
        removalPolicy: definition.retain ? props.retainedDataRemovalPolicy : RemovalPolicy.DESTROY,
      });
      this.tables.set(definition.key, { definition, table });
    }
  }

  table(key: TableKey): ITable {
    return this.entry(key).table;
  }

  /** The definition the table was built from (the very object the local stand-in uses). */
  definition(key: TableKey): TableDefinition {
    return this.entry(key).definition;
  }

  /** Table names by environment variable, as every function's environment carries them. */
  get environment(): Record<string, string> {
    return Object.fromEntries(
      [...this.tables.values()].map(({ definition, table }) => [definition.envVar, table.tableName]),
    );
  }

  /** The queue-history stream, which the forecaster subscribes to. */
  get queueHistoryStreamArn(): string {
    const arn = this.entry('queueHistory').table.tableStreamArn;
    if (!arn) throw new Error('queueHistory: the table has no stream; its definition must set `stream`');
    return arn;
  }

  private entry(key: TableKey) {
    const found = this.tables.get(key);
    if (!found) throw new Error(`table: no table is defined for key ${key}`);
    return found;
  }
}
