// Started as a child process by test/integration/local/killed-add-or-delete.test.ts: opens a local
// install on the folder given, and stops still, for the parent to SIGKILL it, at the point asked:
//   add    — after one integration saved whole, an `add` has stored the credentials and the webhook signing secret, not the integration;
//   delete — a `delete` has marked the integration deleted and removed its credentials, not yet
//            its signing secret.
// It prints one JSON line with the integration's id when it has got there.
import { openLocalInstall } from '../../cli/local-install.js';
import type { CredentialChecker } from '../../shared/pipeline/integrations.js';
import { anIntegrationInput } from './integrations.js';

const [dataDir, point] = process.argv.slice(2);
if (!dataDir || (point !== 'add' && point !== 'delete'))
  throw new Error('usage: add-then-die.ts <data dir> add|delete');

/** A webhook's signing secret as Zendesk shows one (44 characters of base64), made up. */
const SIGNING_SECRET = 'c2lnbmluZy1zZWNyZXQtb2YtdGhlLWtpbGxlZC1hZGQ=';

const checkCredentials: CredentialChecker = async () => ({
  kind: 'ok',
  user: { id: 1, email: 'admin@acme.test', role: 'admin' },
});
const stopHere = (id: string): Promise<never> => {
  process.stdout.write(`${JSON.stringify({ id })}\n`);
  return new Promise<never>(() => undefined);
};

const install = await openLocalInstall({ dataDir, create: true, checkCredentials, command: 'add-then-die' });
const signingSecret = {
  remove: (id: string) => install.webhookSecrets.delete(id),
};
if (point === 'add') {
  // One integration saved whole before, whose secrets the next command must keep.
  await install.service.create(anIntegrationInput({ name: 'Saved' }), {
    ...signingSecret,
    store: (id) => install.webhookSecrets.put(id, SIGNING_SECRET),
  });
  await install.service.create(anIntegrationInput(), {
    ...signingSecret,
    store: async (id) => {
      await install.webhookSecrets.put(id, SIGNING_SECRET);
      await stopHere(id);
    },
  });
} else {
  const { integration } = await install.service.create(anIntegrationInput(), {
    ...signingSecret,
    store: (id) => install.webhookSecrets.put(id, SIGNING_SECRET),
  });
  await install.service.delete(integration.id, stopHere);
}
