/**
 * How many tickets a minute an integration's webhooks may have read at once. Each read costs two
 * requests of the account's Support API budget (its audits and its record), which every other app
 * of the account shares: 200 a minute on a Team plan, 700 on Enterprise. The default keeps reads
 * to a fifth of a Team plan's budget; an account with more to spare may allow more, one that can
 * spare none sets 0 (its webhooks then only start imports).
 */
import type { Integration } from '../store/integrations-repository.js';

export const DEFAULT_WEBHOOK_TICKET_READS_PER_MINUTE = 20;
/** Twice this in requests is 400 a minute, the Growth plan's whole budget. */
export const MAX_WEBHOOK_TICKET_READS_PER_MINUTE = 200;

export const webhookTicketReadsOf = (integration: Pick<Integration, 'webhookTicketReadsPerMinute'>): number =>
  integration.webhookTicketReadsPerMinute ?? DEFAULT_WEBHOOK_TICKET_READS_PER_MINUTE;
