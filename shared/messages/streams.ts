/**
 * The Zendesk streams an integration imports, in the order one import run reads them. The order is
 * a dependency order: ticket events are classified with the roles of the users they name, and with
 * the views known at that moment; calls depend on nothing but come last so that one FIFO message
 * group per integration carries everything in one total order.
 *
 * The tickets export is read twice per run, each pass with a cursor of its own: `tickets` before
 * the ticket events, so the values a creation audit never states (brand, form, custom status,
 * organization) are in the ticket state when the creation is evaluated; `ticket_creations` after
 * them, so a creation the events never delivered is counted from its record only once the events
 * had their chance to deliver it.
 */
export const STREAMS = ['users', 'views', 'tickets', 'ticket_events', 'ticket_creations', 'calls'] as const;
export type Stream = (typeof STREAMS)[number];

/** The stream read after this one in an import run, or null after the last. */
export const nextStream = (stream: Stream): Stream | null => STREAMS[STREAMS.indexOf(stream) + 1] ?? null;
