/**
 * Reads an integration's published queue histories back, in the shape the sandbox's
 * `expectedQueues` uses, so the CLI's `--json` and the end-to-end tests compare like with like:
 * queues sorted by name (then view id), intervals in time order, only intervals with contacts;
 * Support intervals carry contacts only, Talk intervals handled count, handle time and AHT (when
 * something was handled). A Support queue's name follows its view's current title.
 */
import { isWfmChannel } from '../domain/channels.js';
import { supportQueue } from '../domain/queues.js';
import type { CoverageRepository } from '../store/coverage-repository.js';
import type { QuarantineRepository } from '../store/quarantine-repository.js';
import type { QueueCatalogRepository } from '../store/queue-catalog-repository.js';
import type { QueueHistoryRepository } from '../store/queue-history-repository.js';
import type { ViewsRepository } from '../store/views-repository.js';
import { coverageReport, type CoverageReport } from './coverage.js';

export interface ReadbackDeps {
  readonly catalog: Pick<QueueCatalogRepository, 'list'>;
  readonly views: Pick<ViewsRepository, 'list'>;
  readonly queueHistory: Pick<QueueHistoryRepository, 'intervals'>;
  readonly coverage: Pick<CoverageRepository, 'list'>;
  readonly quarantine: Pick<QuarantineRepository, 'list'>;
}

export interface PublishedInterval {
  readonly start: string;
  readonly contacts: number;
  readonly handled?: number;
  readonly handleTimeSeconds?: number;
  readonly ahtSeconds?: number;
}

export interface PublishedQueue {
  readonly name: string;
  readonly channel: string;
  readonly source: 'support' | 'talk';
  readonly viewId?: number;
  readonly intervals: PublishedInterval[];
}

export const readQueueHistories = async (
  deps: Pick<ReadbackDeps, 'catalog' | 'views' | 'queueHistory'>,
  integrationId: string,
): Promise<PublishedQueue[]> => {
  const [catalog, views] = await Promise.all([
    deps.catalog.list(integrationId),
    deps.views.list(integrationId),
  ]);
  const titles = new Map(views.map((v) => [v.view.id, v.view]));
  const out: PublishedQueue[] = [];
  for (const { queue } of catalog) {
    const intervals = (await deps.queueHistory.intervals(integrationId, queue.id))
      .filter((i) => i.contacts > 0)
      .map((i): PublishedInterval =>
        queue.source === 'talk'
          ? {
              start: i.intervalStart,
              contacts: i.contacts,
              handled: i.handled,
              handleTimeSeconds: i.handleSeconds,
              ...(i.ahtSeconds !== undefined ? { ahtSeconds: i.ahtSeconds } : {}),
            }
          : { start: i.intervalStart, contacts: i.contacts },
      );
    if (intervals.length === 0) continue;
    const view = queue.viewId !== undefined ? titles.get(queue.viewId) : undefined;
    const name = view && isWfmChannel(queue.channel) ? supportQueue(view, queue.channel).name : queue.name;
    out.push({
      name,
      channel: queue.channel,
      source: queue.source,
      ...(queue.viewId !== undefined ? { viewId: queue.viewId } : {}),
      intervals,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.viewId ?? 0) - (b.viewId ?? 0)));
};

export interface ViewVerdict {
  readonly id: number;
  readonly title: string;
  readonly active: boolean;
  readonly supported: boolean;
  /** supported / unsupported / personal (a view restricted to one user, counted only when included). */
  readonly verdict: 'supported' | 'unsupported' | 'personal';
  /** The user excluded it from the queues: it keeps its verdict and counts nothing. */
  readonly excluded: boolean;
  readonly reasons: readonly string[];
  readonly deleted: boolean;
}

/** Every view with its verdict and reasons (SPEC §3: no view is dropped silently). */
export const readViewVerdicts = async (
  deps: Pick<ReadbackDeps, 'views'>,
  integrationId: string,
): Promise<ViewVerdict[]> =>
  (await deps.views.list(integrationId)).map((v) => ({
    id: v.view.id,
    title: v.view.title,
    active: v.view.active,
    supported: v.supported,
    verdict: v.verdict ?? (v.supported ? 'supported' : 'unsupported'),
    excluded: v.excluded === true,
    reasons: v.reasons,
    deleted: v.deleted,
  }));

export const readCoverage = async (
  deps: Pick<ReadbackDeps, 'coverage' | 'views' | 'quarantine'>,
  integrationId: string,
): Promise<CoverageReport> => {
  const [counters, views, quarantined] = await Promise.all([
    deps.coverage.list(integrationId),
    deps.views.list(integrationId),
    deps.quarantine.list(integrationId),
  ]);
  return coverageReport(counters, views, quarantined);
};
