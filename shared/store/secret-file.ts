import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A JSON object of secrets in a file readable by its owner only (0600, folder 0700), rewritten
 * atomically (temporary file, then rename) so a crash never leaves half a file; in memory when no
 * path is given. The embedded mode's stand-in for Secrets Manager.
 */
export class SecretFile<V> {
  private memory: Record<string, V> | undefined;

  constructor(
    private readonly filePath: string | undefined,
    private readonly what: string,
  ) {}

  async read(): Promise<Record<string, V>> {
    if (this.memory) return this.memory;
    if (!this.filePath) return (this.memory = {});
    try {
      return (this.memory = JSON.parse(await readFile(this.filePath, 'utf8')) as Record<string, V>);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.memory = {});
      // The message names the file's purpose, never its content.
      throw new Error(`the local ${this.what} file cannot be read`);
    }
  }

  async write(all: Record<string, V>): Promise<void> {
    this.memory = all;
    if (!this.filePath) return;
    await mkdir(dirname(this.filePath), { recursive: true, mode: 0o700 });
    const temporary = `${this.filePath}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(all), { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.filePath);
  }
}
