/**
 * The Zendesk streams an integration imports, in the order one import run reads them. The order is
 * a dependency order: ticket events are classified with the roles of the users they name, and with
 * the views known at that moment; calls depend on nothing but come last so that one FIFO message
 * group per integration carries everything in one total order.
 */
export const STREAMS = ['users', 'views', 'ticket_events', 'calls'] as const;
export type Stream = (typeof STREAMS)[number];

/** The stream read after this one in an import run, or null after the last. */
export const nextStream = (stream: Stream): Stream | null => STREAMS[STREAMS.indexOf(stream) + 1] ?? null;
