/**
 * The Zendesk records as the pipeline carries them: what shared/zendesk validates and compacts from
 * each export page, what travels in SQS messages, and what the domain rules take as input. Plain
 * data only, camelCase, reduced to the fields the rules need (no comment bodies, no HTML, no
 * attachments), so a 1000-event page fits one SQS message.
 *
 * The client (shared/zendesk/) produces these; the domain (shared/domain/) consumes them; the zod
 * schemas of shared/messages/ validate them on every queue.
 */

/** A scalar or list value of a ticket field as Zendesk reports it in an export. */
export type FieldValue = string | number | boolean | null | readonly string[];

/**
 * One child event of a ticket update. The export flattens Create/Change children (`"status":
 * "solved", "previous_value": "open"`); the Audits API uses `field_name`/`value`. Compaction turns
 * both into `field`/`value`/`previous`. Custom fields become `custom_fields_<id>`; tag children keep
 * the added and removed lists when Zendesk sends them.
 */
export type ChildEventRecord =
  | {
      readonly kind: 'Create' | 'Change';
      readonly field: string;
      readonly value: FieldValue;
      readonly previous?: FieldValue;
      readonly addedTags?: readonly string[];
      readonly removedTags?: readonly string[];
    }
  | {
      readonly kind: 'Comment';
      readonly authorId: number;
      readonly public: boolean;
      /** `via.channel` of the comment (an open string: Zendesk adds channels), null when absent. */
      readonly channel: string | null;
      /** `via.source.rel`, e.g. `inbound` / `voicemail` for calls, `follow_up`, null when absent. */
      readonly rel: string | null;
      /**
       * The comment's words as `descriptionTerms` hashes, only on the first comment (the ticket's
       * description, compacted with its creation): what "description contains" needs, never the text.
       */
      readonly terms?: readonly number[];
      /**
       * With `terms`: which of the integration's views' "contains at least one of / none of" words
       * its words contain (`descriptionPartsFound`).
       */
      readonly partsFound?: readonly number[];
    }
  /**
   * A messaging or live-chat session began (`ChatStartedEvent`). The conversation's messages live in
   * its `value.history`, not in comments; only what the counting rules need is kept.
   */
  | {
      readonly kind: 'ChatStarted';
      /** `value.chat_id`, null when absent. */
      readonly chatId: string | null;
      /**
       * The event's own `via`: the channel (`via.channel` of an Audits-API event, which carries a via
       * only when it differs from the audit's) or the export's display name; null when absent.
       */
      readonly via: string | null;
      /**
       * Whether the end user wrote in the session: true for a `ChatMessage` of the customer in the
       * history (`actor_type` `end-user`, `end_user`, `visitor`), false when every message is known
       * to be someone else's (`agent`, `business`, a bot), null when nothing tells (no message, or
       * one of another or no actor type).
       */
      readonly endUserWrote: boolean | null;
    }
  /** A messaging or live-chat session ended (`ChatEndedEvent`). */
  | { readonly kind: 'ChatEnded'; readonly chatId: string | null }
  /**
   * The ticket was shared through a sharing agreement, or no longer is (the Ticket Audit events
   * reference's "Ticket sharing event": `type` `TicketSharingEvent`, `agreement_id`, `action`
   * `shared` / `unshared`).
   */
  | { readonly kind: 'Sharing'; readonly agreementId: number; readonly shared: boolean }
  /**
   * A comment was made private, or public (the Audit events reference's "Comment privacy change
   * event": `type` `CommentPrivacyChange`, `comment_id`, `public`). Zendesk lets agents make a
   * public comment private, so `public` is false in practice.
   */
  | { readonly kind: 'CommentPrivacy'; readonly public: boolean }
  /** Any other child event (notifications, satisfaction ratings, merges …), kept by its type only. */
  | { readonly kind: 'Other'; readonly eventType: string };

/** One ticket update (one audit) from the incremental ticket event export. */
export interface TicketEventRecord {
  /** The audit id; unique per update, used to de-duplicate across page boundaries. */
  readonly id: number;
  readonly ticketId: number;
  /** Epoch seconds. */
  readonly timestamp: number;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  /** The user who made the update; -1 is Zendesk itself. */
  readonly updaterId: number;
  /** The top-level `via` of the export event: a display string ("Web form", "Mail", "Rule"), or null. */
  readonly via: string | null;
  readonly viaReferenceId: number | null;
  readonly children: readonly ChildEventRecord[];
}

/** A ticket from the incremental ticket export: a full snapshot, used to seed state for tickets created before the import window. */
export interface TicketRecord {
  readonly id: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly generatedTimestamp: number;
  /** `via.channel` of the ticket's creation. */
  readonly channel: string | null;
  /**
   * `via.source.rel` of the ticket's creation (`outbound` for a call an agent placed); absent when
   * the record says none.
   */
  readonly rel?: string | null;
  readonly status: string;
  readonly priority: string | null;
  readonly type: string | null;
  readonly subject: string | null;
  readonly requesterId: number | null;
  readonly submitterId: number | null;
  readonly assigneeId: number | null;
  readonly organizationId: number | null;
  readonly groupId: number | null;
  readonly brandId: number | null;
  readonly ticketFormId: number | null;
  readonly customStatusId: number | null;
  readonly dueAt: string | null;
  readonly tags: readonly string[];
  /** Custom field values by field id (as a string). */
  readonly customFields: Readonly<Record<string, FieldValue>>;
  /**
   * The ticket's description (its first comment, `description`) as `descriptionTerms` hashes, for
   * "description contains"; absent when the record carries none. Never the text.
   */
  readonly descriptionTerms?: readonly number[];
  /** With `descriptionTerms`: the views' search words its words contain (`descriptionPartsFound`). */
  readonly descriptionPartsFound?: readonly number[];
  /**
   * `support_type`, lower case: `agent`, or `ai_agent` for a ticket an AI agent handles (the
   * tickets export's `support_type_scope` decides which it sends); absent when the record says none.
   */
  readonly supportType?: string | null;
  /**
   * `recipient`, lower case: the address the ticket was received at. A creation audit need not
   * state it (Zendesk keeps it on the ticket), so "Received at" reads it from here where no event
   * did; absent when the record says none.
   */
  readonly recipient?: string | null;
  /**
   * `is_public`: whether the ticket has public comments (the Tickets API: "Is true if any comments
   * are public, false otherwise"); absent when the record does not say.
   */
  readonly isPublic?: boolean;
}

export type UserRole = 'end-user' | 'agent' | 'admin';

export interface UserRecord {
  readonly id: number;
  /** Zendesk's `role`; unknown future roles are kept as strings and treated as non-end-users. */
  readonly role: UserRole | string;
  readonly active: boolean;
  readonly updatedAt: string;
  /** `locale_id`: the user's language (the "Requester language" view condition); absent when Zendesk does not say. */
  readonly localeId?: number | null;
}

export interface ViewCondition {
  readonly field: string;
  readonly operator: string;
  /** Zendesk sends strings even for ids and hours (`"24"`, `"360001111"`, `""`); some values are lists. */
  readonly value: string | number | boolean | null | readonly (string | number)[];
}

export interface ViewRecord {
  readonly id: number;
  readonly title: string;
  readonly active: boolean;
  readonly updatedAt: string;
  readonly position: number | null;
  readonly conditions: { readonly all: readonly ViewCondition[]; readonly any: readonly ViewCondition[] };
  /** Who may use the view (Zendesk's `restriction`); absent or null: everyone. `User` = a personal view. */
  readonly restriction?: { readonly type: string; readonly ids: readonly number[] } | null;
  /**
   * What the compaction could not read, each naming the condition (`all[1]: no operator`): such a
   * view is kept, unsupported for these reasons, and never fails the views import.
   */
  readonly problems?: readonly string[];
}

/** One Talk call from the incremental calls export. Durations are integer seconds; null where Zendesk sends null. */
export interface CallRecord {
  readonly id: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly direction: 'inbound' | 'outbound' | string;
  /** The Talk number that received (inbound) or placed (outbound) the call, E.164. */
  readonly phoneNumber: string | null;
  readonly ivrDestinationGroupName: string | null;
  readonly agentId: number | null;
  readonly completionStatus: string | null;
  readonly talkTime: number | null;
  readonly holdTime: number | null;
  readonly wrapUpTime: number | null;
  /** `wait_time`: seconds before an agent answered (or the caller gave up); null when absent. */
  readonly waitTime: number | null;
  /** `callback`: the call was started by the customer's callback request. */
  readonly callback: boolean;
  /**
   * `exceeded_queue_wait_time`: "the customer exceeded the maximum queue wait time and did not
   * speak with an agent" (the call then goes to voicemail or overflows). False when absent.
   */
  readonly exceededQueueWaitTime: boolean;
  /**
   * `customer_requested_voicemail`: "the customer requested to be directed to voicemail instead of
   * waiting for an agent to answer". False when absent.
   */
  readonly customerRequestedVoicemail: boolean;
}
