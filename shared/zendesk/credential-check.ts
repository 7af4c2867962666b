import { z } from 'zod';
import type { RateLimited, ZendeskApi } from './api.js';
import {
  ZendeskCredentialsError,
  ZendeskPayloadError,
  ZendeskRequestError,
  ZendeskTransientError,
} from './errors.js';

/** The verdict of checking an integration's credentials before it is saved (SPEC §2). */
export type CredentialCheck =
  | {
      readonly kind: 'ok';
      readonly user: { readonly id: number; readonly email: string | null; readonly role: string };
    }
  | { readonly kind: 'wrong_credentials'; readonly message: string }
  | { readonly kind: 'not_admin'; readonly role: string; readonly message: string }
  | { readonly kind: 'unreachable_or_not_zendesk'; readonly message: string }
  /** Still 429 after waiting as Zendesk said, `waitedSeconds` in all. */
  | { readonly kind: 'rate_limited'; readonly retryAfterSeconds: number; readonly waitedSeconds: number };

/** One check's answer: a verdict, or Zendesk's 429 (waited out by the caller). */
export type CredentialCheckAnswer = Exclude<CredentialCheck, { kind: 'rate_limited' }> | RateLimited;

const meEnvelope = z.looseObject({
  user: z.looseObject({
    id: z.number().int().nullish(),
    email: z.string().nullish(),
    role: z.string(),
  }),
});

/**
 * One authenticated call to `/api/v2/users/me`. Zendesk answers it even without valid credentials,
 * with an anonymous user whose id is null, so that counts as wrong credentials too.
 */
export const checkCredentials = async (api: ZendeskApi, endpoint: string): Promise<CredentialCheckAnswer> => {
  let body: unknown;
  try {
    const response = await api.getJson(endpoint, api.url(endpoint), { bucket: 'account' });
    if (response.kind === 'rate_limited') return response;
    body = response.body;
  } catch (error) {
    if (error instanceof ZendeskCredentialsError) {
      return {
        kind: 'wrong_credentials',
        message: `Zendesk refused the credentials: ${error.zendeskMessage}`,
      };
    }
    if (error instanceof ZendeskTransientError) {
      return {
        kind: 'unreachable_or_not_zendesk',
        message: `${api.baseUrl} is not reachable (${error.lastFailure})`,
      };
    }
    if (error instanceof ZendeskRequestError || error instanceof ZendeskPayloadError) {
      return {
        kind: 'unreachable_or_not_zendesk',
        message: `${api.baseUrl} does not answer like Zendesk (${error.message})`,
      };
    }
    throw error;
  }
  const parsed = meEnvelope.safeParse(body);
  if (!parsed.success) {
    return {
      kind: 'unreachable_or_not_zendesk',
      message: `${api.baseUrl} does not answer like Zendesk (no user in ${endpoint})`,
    };
  }
  const { id, email, role } = parsed.data.user;
  if (id === null || id === undefined) {
    return {
      kind: 'wrong_credentials',
      message: 'Zendesk did not recognise the credentials (anonymous user)',
    };
  }
  if (role !== 'admin') {
    return {
      kind: 'not_admin',
      role,
      message: `The Zendesk user ${email ?? id} is ${role === 'agent' ? 'an agent' : `a ${role}`}, not an admin; the exports need administrative permissions`,
    };
  }
  return { kind: 'ok', user: { id, email: email ?? null, role } };
};
