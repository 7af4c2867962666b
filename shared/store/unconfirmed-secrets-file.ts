/**
 * The embedded mode's marks of secrets not yet confirmed by their integration
 * (shared/pipeline/unconfirmed-secrets.ts): a JSON object of integration id → when it was marked,
 * beside the secrets and written the same way (owner-only, replaced atomically), or in memory.
 */
import type { UnconfirmedSecrets } from '../pipeline/unconfirmed-secrets.js';
import { SecretFile } from './secret-file.js';

export class UnconfirmedSecretsFile implements UnconfirmedSecrets {
  private readonly file: SecretFile<string>;

  constructor(
    filePath: string | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = new SecretFile<string>(filePath, 'unconfirmed secrets');
  }

  async list(): Promise<readonly string[]> {
    const marks = await this.file.read();
    return Object.keys(marks).sort((a, b) => (marks[a] ?? '').localeCompare(marks[b] ?? ''));
  }

  async add(integrationId: string): Promise<void> {
    const marks = await this.file.read();
    await this.file.write({ ...marks, [integrationId]: this.now().toISOString() });
  }

  async remove(integrationId: string): Promise<void> {
    const { [integrationId]: removed, ...rest } = await this.file.read();
    if (removed !== undefined) await this.file.write(rest);
  }
}
