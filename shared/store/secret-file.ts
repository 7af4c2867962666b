import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessRunning } from '../process-running.js';

/**
 * A JSON object of secrets in a file readable by its owner only (0600, folder 0700), rewritten
 * atomically (temporary file, then rename) so a crash never leaves half a file; in memory when no
 * path is given. The embedded mode's stand-in for Secrets Manager.
 *
 * A file that someone else owns, or that its group or others may read or write, is refused before
 * it is read: its secrets may have been read (or planted) by another account, which the owner has
 * to look at, so it is not silently "fixed".
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
      await this.removeDeadWritersTemporaries(this.filePath);
      await this.checkOwnerOnly(this.filePath);
      return (this.memory = JSON.parse(await readFile(this.filePath, 'utf8')) as Record<string, V>);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.memory = {});
      if (error instanceof SecretFilePermissionError) throw error;
      // The message names the file's purpose, never its content.
      throw new Error(`the local ${this.what} file cannot be read`);
    }
  }

  /**
   * A writer killed between writing its temporary file and renaming it leaves the temporary: a
   * whole copy of the secrets, some perhaps removed since (a deleted integration's). Those of a
   * process no longer running are removed the first time the file is read.
   */
  private async removeDeadWritersTemporaries(filePath: string): Promise<void> {
    const prefix = `${basename(filePath)}.`;
    const names = await readdir(dirname(filePath)).catch(() => [] as string[]);
    for (const name of names) {
      const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? name.slice(prefix.length, -4) : '';
      if (/^\d+$/.test(pid) && !isProcessRunning(Number(pid)))
        await rm(join(dirname(filePath), name), { force: true });
    }
  }

  private async checkOwnerOnly(filePath: string): Promise<void> {
    const { mode, uid } = await stat(filePath);
    const me = process.getuid?.();
    if (me !== undefined && uid !== me) {
      throw new SecretFilePermissionError(
        `the local ${this.what} file ${filePath} belongs to another user (uid ${uid}); it must be yours and readable by you only`,
      );
    }
    if ((mode & 0o077) !== 0) {
      const octal = (mode & 0o777).toString(8).padStart(4, '0');
      throw new SecretFilePermissionError(
        `the local ${this.what} file ${filePath} can be read or written by others (mode ${octal}); make it owner-only with \`chmod 600 ${filePath}\`, and rotate its secrets if someone else may have read them`,
      );
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

export class SecretFilePermissionError extends Error {
  override readonly name = 'SecretFilePermissionError';
}
