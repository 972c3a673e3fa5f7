import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * Files that hold records (the run repository, a night's staging copy, the spill files of
 * document readers) are owner-only whatever the umask: created 0600 before SQLite opens
 * them (SQLite gives its -wal, -shm and journal files the database file's mode), and a file
 * left readable by an older version is narrowed. Folders made for them are 0700.
 */
export function ownerOnlyFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  for (const side of ['-wal', '-shm', '-journal']) if (existsSync(file + side)) chmodSync(file + side, 0o600);
}

export function ownerOnlyFolder(dir: string): void {
  const made = mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Only the folders this call created are narrowed: a site's existing parent folders are theirs.
  if (made) chmodSync(made, 0o700);
  chmodSync(dir, 0o700);
}
