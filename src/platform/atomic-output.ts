import * as fs from 'fs';
import * as path from 'path';
import { ValidationError } from '../core/errors';

// Output that is never half-written.
//
// Everything lives inside the output folder (so every rename stays on one
// file system, also when the folder is a mount point):
//   .cdk8s-paas.lock             pid of the synth writing the folder (one at a time)
//   .cdk8s-paas-owned    the files the last synth wrote: the only ones a synth replaces or removes
//   .cdk8s-paas-staging-<id>/    where `write` produces the new set
//   .cdk8s-paas-backup-<id>/     where the old set waits while the new one moves in
//   .cdk8s-paas-journal     present while files move: the next run rolls a killed commit back
//
// A commit moves the old owned files (and any file the new set replaces) to
// the backup folder, moves the new files in, then deletes the journal: that
// delete is the commit point. Killed before it, the next run (or the failing
// run itself) moves every file back; killed after it, only leftover folders
// remain, which the next run deletes.

const LOCK = '.cdk8s-paas.lock';
/**
 * The ownership manifest: the files the last synth wrote into the folder (JSON).
 * No `.json`/`.yaml` extension: `kubectl apply -f <folder>` reads every file
 * with one, hidden files included.
 */
export const OWNERSHIP_MANIFEST = '.cdk8s-paas-owned';
const JOURNAL = '.cdk8s-paas-journal';
const STAGING_PREFIX = '.cdk8s-paas-staging-';
const BACKUP_PREFIX = '.cdk8s-paas-backup-';
const LOCK_TIMEOUT_MS = 120_000;

/**
 * Test seams (internal, not exported from the package): `staged` runs when the
 * staging folder exists, `beforeMove` before each file moves into the output
 * folder during a commit (`moved` files moved so far); a throw there is a
 * failing rename.
 */
export const atomicOutputHooks: {
  staged?: (staging: string) => void;
  beforeMove?: (from: string, to: string, moved: number) => void;
} = {};

interface Journal {
  readonly staging: string;
  readonly backup: string;
  /** Files (relative) moved out of the folder into `backup`. */
  readonly replaced: string[];
  /** Files (relative) moved from `staging` into the folder. */
  readonly added: string[];
}

/**
 * Runs `write(staging)` against a fresh staging folder inside `outdir` and,
 * only when it succeeds, replaces the files the previous synth wrote (listed
 * in `outdir/.cdk8s-paas-owned`; before there was one, the top-level
 * `*.k8s.yaml` files) with the new ones. Files it does not own are left
 * alone. When `write` throws, or the commit fails or is killed, `outdir`
 * keeps the previous set of files (a killed commit is rolled back by the
 * next run). Concurrent calls on one folder, from any process, run one after
 * the other. File-system failures surface as a `ValidationError`.
 */
export function writeAtomically(outdir: string, write: (staging: string) => void): void {
  const target = path.resolve(outdir);
  const created = ensureDirectory(outdir, target);
  let staging: string | undefined;
  let locked = false;
  let done = false;
  try {
    acquireLock(outdir, target);
    locked = true;
    recoverLocked(target);
    staging = fsCall(outdir, 'create the staging folder', () => fs.mkdtempSync(path.join(target, `${STAGING_PREFIX}${process.pid}-`)));
    atomicOutputHooks.staged?.(staging);
    write(staging);
    commit(outdir, target, staging);
    done = true;
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
    if (locked) releaseLock(target);
    // a failed first synth leaves no empty output folder behind
    if (!done && created) removeIfEmpty(target);
  }
}

/**
 * Brings `outdir` back to a complete set after a synth was killed: rolls back
 * an unfinished commit and deletes leftover staging and backup folders. Every
 * `writeAtomically` runs it first; a no-op on a clean folder.
 */
export function recoverOutput(outdir: string): void {
  const target = path.resolve(outdir);
  if (!fs.existsSync(target)) return;
  acquireLock(outdir, target);
  try {
    recoverLocked(target);
  } finally {
    releaseLock(target);
  }
}

function commit(outdir: string, target: string, staging: string): void {
  const added = listFiles(staging);
  const owned = ownedFiles(target);
  const replaced = [...new Set([...owned, ...added])].filter(f => exists(path.join(target, f)));
  fs.writeFileSync(path.join(staging, OWNERSHIP_MANIFEST), `${JSON.stringify({ version: 1, files: added }, undefined, 2)}\n`);
  const all = [...added, OWNERSHIP_MANIFEST];
  const backup = fsCall(outdir, 'create the backup folder', () => fs.mkdtempSync(path.join(target, `${BACKUP_PREFIX}${process.pid}-`)));
  const journal: Journal = {
    staging: path.basename(staging),
    backup: path.basename(backup),
    replaced: [...replaced, OWNERSHIP_MANIFEST],
    added: all,
  };
  writeFileAtomically(path.join(target, JOURNAL), JSON.stringify(journal));
  try {
    for (const f of journal.replaced) {
      if (exists(path.join(target, f))) moveFile(path.join(target, f), path.join(backup, f));
    }
    let moved = 0;
    for (const f of all) {
      atomicOutputHooks.beforeMove?.(path.join(staging, f), path.join(target, f), moved);
      moveFile(path.join(staging, f), path.join(target, f));
      moved++;
    }
  } catch (e: any) {
    rollBack(target, journal);
    throw new ValidationError(`${outdir}: cannot write the output folder, it keeps the previous files: ${e?.message ?? String(e)}`, outdir, 'outdir');
  }
  // the commit point: from here on the folder holds the new set
  fs.rmSync(path.join(target, JOURNAL));
  fs.rmSync(backup, { recursive: true, force: true });
}

/** Undoes an unfinished commit: the new files out, the old ones back; then deletes the journal. */
function rollBack(target: string, journal: Journal): void {
  const staging = path.join(target, journal.staging);
  const backup = path.join(target, journal.backup);
  for (const f of journal.added) {
    // moved in (it is no longer in staging) and not one of the old files waiting in the backup
    if (!exists(path.join(staging, f)) && exists(path.join(target, f))) fs.rmSync(path.join(target, f), { force: true });
  }
  for (const f of journal.replaced) {
    if (exists(path.join(backup, f))) moveFile(path.join(backup, f), path.join(target, f));
  }
  fs.rmSync(path.join(target, JOURNAL), { force: true });
}

/** With the lock held: rolls back a killed commit, deletes staging and backup folders of killed runs. */
function recoverLocked(target: string): void {
  const journalFile = path.join(target, JOURNAL);
  if (exists(journalFile)) {
    let journal: Journal | undefined;
    try {
      journal = JSON.parse(fs.readFileSync(journalFile, 'utf-8'));
    } catch {
      journal = undefined; // written with rename: a journal that does not parse was never used
    }
    if (journal) rollBack(target, journal);
    else fs.rmSync(journalFile, { force: true });
  }
  for (const e of fs.readdirSync(target)) {
    if (e.startsWith(STAGING_PREFIX) || e.startsWith(BACKUP_PREFIX) || e.startsWith(`${JOURNAL}.`)) {
      fs.rmSync(path.join(target, e), { recursive: true, force: true });
    }
  }
  // staging folders the previous versions of the library left beside the output folder
  const parent = path.dirname(target);
  const legacy = `.${path.basename(target)}.staging-`;
  try {
    for (const e of fs.readdirSync(parent)) {
      if (e.startsWith(legacy)) fs.rmSync(path.join(parent, e), { recursive: true, force: true });
    }
  } catch {
    // an unreadable parent folder holds no staging folder of ours
  }
}

/** The files the previous synth wrote: the ownership manifest's list, or (before there was one) the top-level `*.k8s.yaml`. */
function ownedFiles(target: string): string[] {
  const file = path.join(target, OWNERSHIP_MANIFEST);
  if (exists(file)) {
    try {
      const m = JSON.parse(fs.readFileSync(file, 'utf-8'));
      if (Array.isArray(m?.files)) return m.files.filter((f: any) => typeof f === 'string' && isInside(f));
    } catch {
      // unreadable manifest: fall back to the files cdk8s itself names
    }
  }
  return fs.readdirSync(target, { withFileTypes: true }).filter(e => e.isFile() && e.name.endsWith('.k8s.yaml')).map(e => e.name);
}

function isInside(rel: string): boolean {
  const n = path.normalize(rel);
  return !path.isAbsolute(n) && n !== '..' && !n.startsWith(`..${path.sep}`) && ![STAGING_PREFIX, BACKUP_PREFIX, LOCK, JOURNAL].some(p => n.startsWith(p));
}

function acquireLock(outdir: string, target: string): void {
  const lock = path.join(target, LOCK);
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (e: any) {
      if (e?.code !== 'EEXIST') throw fsError(outdir, 'lock the output folder', e);
    }
    const holder = lockHolder(lock);
    if (holder !== undefined && !isAlive(holder)) {
      breakStaleLock(lock, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new ValidationError(`${outdir}: another synth (pid ${holder ?? 'unknown'}) has been writing to this output folder for ${LOCK_TIMEOUT_MS / 1000}s; `
        + `wait for it, or delete ${path.join(outdir, LOCK)} if no synth is running`, outdir, 'outdir');
    }
    sleep(20);
  }
}

function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lock, 'utf-8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e?.code === 'EPERM';
  }
}

/** Removes the lock of a dead process; a lock some other process took meanwhile is put back. */
function breakStaleLock(lock: string, holder: number): void {
  const aside = `${lock}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return; // someone else broke it first
  }
  if (lockHolder(aside) !== holder) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // the lock was taken again meanwhile: the live holder keeps it
    }
  }
  fs.rmSync(aside, { force: true });
}

function releaseLock(target: string): void {
  const lock = path.join(target, LOCK);
  if (lockHolder(lock) === process.pid) fs.rmSync(lock, { force: true });
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(SLEEPER, 0, 0, ms);
}

/** Creates `target` when missing; true when it did. Throws a ValidationError when it is not a folder. */
function ensureDirectory(outdir: string, target: string): boolean {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch {
    st = undefined;
  }
  if (st && !st.isDirectory()) {
    throw new ValidationError(`${outdir}: the output folder is not a folder: a file of that name exists; remove it or choose another outdir`, outdir, 'outdir');
  }
  if (st) return false;
  fsCall(outdir, 'create the output folder', () => fs.mkdirSync(target, { recursive: true }));
  return true;
}

function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty, or gone
  }
}

function moveFile(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.renameSync(from, to);
}

function writeFileAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function fsCall<T>(outdir: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fsError(outdir, what, e);
  }
}

function fsError(outdir: string, what: string, e: any): ValidationError {
  return new ValidationError(`${outdir}: cannot ${what}: ${e?.message ?? String(e)}`, outdir, 'outdir');
}

/** Files (not folders) under `dir`, relative, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? path.join(prefix, e.name) : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out.sort();
}
