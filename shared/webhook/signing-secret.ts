/**
 * A webhook signing secret as it is kept: the secret Zendesk shows for the webhook, read the one way
 * every place that takes it reads it (the CLI, the deployed stack's add-integration, the stores).
 */

/**
 * The static secret Zendesk signs a test request with before the webhook exists (its verification
 * guide prints it). It is public: kept as an integration's secret, anyone could sign requests.
 */
export const ZENDESK_TEST_SIGNING_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

/** The shortest secret taken: Zendesk's are 44 characters of base64. */
export const MIN_SIGNING_SECRET_LENGTH = 8;

/**
 * The secret with the blanks around it taken off (a copy and paste, a shell's newline): the HMAC
 * key is the secret byte for byte, so a kept trailing newline failed every request. Throws, naming
 * `field`, when what is left is too short, has a blank inside (no Zendesk secret has one: two
 * values pasted together), or is Zendesk's public test secret.
 */
export const signingSecretOf = (given: string, field = 'webhookSigningSecret'): string => {
  const secret = given.trim();
  if (secret.length < MIN_SIGNING_SECRET_LENGTH)
    throw new Error(
      `${field}: at least ${MIN_SIGNING_SECRET_LENGTH} characters (copy it from the webhook in Zendesk)`,
    );
  if (/\s/.test(secret)) throw new Error(`${field}: a signing secret has no spaces or line breaks inside it`);
  if (secret === ZENDESK_TEST_SIGNING_SECRET)
    throw new Error(
      `${field}: that is Zendesk's public test secret, which anyone can sign with; copy the webhook's own secret (Admin Center, the webhook, "Reveal secret")`,
    );
  return secret;
};

/**
 * A stored signing secret as the webhook uses it: read the way `signingSecretOf` keeps one, and
 * none (webhooks refused, as without a secret) when it could not have been kept that way: a
 * secret stored by hand (the AWS CLI) never passed through it, and Zendesk's public test secret
 * must verify nothing.
 */
export const storedSigningSecret = (stored: string | undefined): string | undefined => {
  if (stored === undefined) return undefined;
  try {
    return signingSecretOf(stored);
  } catch {
    return undefined;
  }
};
