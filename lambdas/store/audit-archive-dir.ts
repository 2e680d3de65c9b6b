/**
 * The audit archive in a local directory, for the embedded stack and the tests: the same port as
 * the S3 archive, write-once (files are created exclusively and made read-only). It is not a
 * protection against this machine's users, only the local stand-in for S3 Object Lock.
 */
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KeyedAuditArchive } from './audit-archive-keys.js';

export class DirAuditArchive extends KeyedAuditArchive {
  constructor(private readonly dir: string) {
    super();
  }

  protected async create(key: string, body: string): Promise<boolean> {
    const file = join(this.dir, key);
    await mkdir(dirname(file), { recursive: true });
    try {
      await writeFile(file, body, { flag: 'wx', mode: 0o444 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    await chmod(file, 0o444);
    return true;
  }

  protected async *keys(prefix: string): AsyncGenerator<string> {
    let names: string[];
    try {
      names = (await readdir(join(this.dir, prefix))).filter((n) => n.endsWith('.json') || n.endsWith('.jsonl'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const n of names.sort()) yield `${prefix}${n}`;
  }

  protected async getText(key: string): Promise<string> {
    return readFile(join(this.dir, key), 'utf8');
  }
}
