// Container sandboxes with bubblewrap. A pod is a "pause" sandbox holding the
// pod's network namespace (loopback only); each container joins it (nsenter)
// and gets its own user, pid and mount namespaces: a root built on a tmpfs from
// read-only binds of the image stand-in, the volume binds, then `--remount-ro /`
// when the root is read-only (bwrap cannot create a mount point inside a
// read-only bind, hence the tmpfs root with binds of the leaves).
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RehearsalError } from './errors';
import { ContainerMount } from './volumes';

/** Host content shown in the container's root. */
export interface RootLayer {
  /** A host file or directory. */
  readonly hostPath: string;
  /** Where the container sees it. */
  readonly containerPath: string;
  /** Writable bind (a per-container copy), else read-only. */
  readonly writable?: boolean;
}

/** Everything a container's root is made of. */
export interface RootSpec {
  /** Laid over each other in order; directories present in several layers are merged. */
  readonly layers: RootLayer[];
  /** Symbolic links in the root: container path → target. */
  readonly symlinks: { [containerPath: string]: string };
  readonly mounts: ContainerMount[];
  readonly readOnlyRoot: boolean;
}

interface Node {
  readonly children: Map<string, Node>;
  /** Host directories merged here. */
  readonly dirs: Array<{ hostPath: string; writable: boolean }>;
  file?: { hostPath: string; writable: boolean };
  symlink?: string;
  mount?: ContainerMount;
}

function newNode(): Node {
  return { children: new Map(), dirs: [] };
}

function nodeAt(root: Node, containerPath: string): Node {
  let n = root;
  for (const part of containerPath.split('/').filter(Boolean)) {
    let c = n.children.get(part);
    if (!c) {
      c = newNode();
      n.children.set(part, c);
    }
    n = c;
  }
  return n;
}

/**
 * The bwrap arguments that build a root from layers, symlinks and mounts. A
 * directory that a single layer provides and nothing else touches is one bind;
 * any other directory is created on the tmpfs and its entries bound one by one,
 * so volume mount points can be created in it.
 */
export function rootArgs(spec: RootSpec): string[] {
  const root = newNode();
  for (const layer of spec.layers) {
    const n = nodeAt(root, layer.containerPath);
    const st = fs.statSync(layer.hostPath);
    if (st.isDirectory()) n.dirs.push({ hostPath: layer.hostPath, writable: Boolean(layer.writable) });
    else n.file = { hostPath: layer.hostPath, writable: Boolean(layer.writable) };
  }
  for (const [p, target] of Object.entries(spec.symlinks)) nodeAt(root, p).symlink = target;
  for (const m of spec.mounts) nodeAt(root, m.containerPath).mount = m;
  const args: string[] = [];
  emit(root, '/', args, true);
  for (const m of spec.mounts) args.push(m.readOnly ? '--ro-bind' : '--bind', m.hostPath, m.containerPath);
  if (spec.readOnlyRoot) args.push('--remount-ro', '/');
  return args;
}

function emit(n: Node, p: string, args: string[], isRoot = false): void {
  if (n.mount) {
    // the volume hides what the image has there; nested mounts are made in the volume's host directory
    for (const [name, c] of n.children) if (c.mount) ensureMountPoint(n.mount.hostPath, name, c);
    return;
  }
  if (n.symlink !== undefined) {
    args.push('--symlink', n.symlink, p);
    return;
  }
  if (!isRoot && n.dirs.length === 0 && n.children.size === 0 && n.file) {
    args.push(n.file.writable ? '--bind' : '--ro-bind', n.file.hostPath, p);
    return;
  }
  if (!isRoot && n.dirs.length === 1 && n.children.size === 0) {
    args.push(n.dirs[0].writable ? '--bind' : '--ro-bind', n.dirs[0].hostPath, p);
    return;
  }
  if (!isRoot) args.push('--dir', p);
  // merge the layers' entries into the children, later layers win
  for (const d of n.dirs) {
    for (const e of fs.readdirSync(d.hostPath, { withFileTypes: true })) {
      const child = n.children.get(e.name) ?? newNode();
      n.children.set(e.name, child);
      const hostPath = path.join(d.hostPath, e.name);
      if (e.isSymbolicLink()) child.symlink = child.symlink ?? fs.readlinkSync(hostPath);
      else if (e.isDirectory()) child.dirs.push({ hostPath, writable: d.writable });
      else child.file = { hostPath, writable: d.writable };
    }
  }
  for (const [name, c] of n.children) emit(c, path.posix.join(p, name), args);
}

function ensureMountPoint(parentHost: string, name: string, c: Node): void {
  const target = path.join(parentHost, name);
  if (fs.existsSync(target)) return;
  if (fs.statSync(c.mount!.hostPath).isDirectory()) fs.mkdirSync(target, { recursive: true });
  else fs.writeFileSync(target, '');
}

/** What a container process runs with. */
export interface ContainerRun {
  readonly name: string;
  readonly root: RootSpec;
  readonly argv: string[];
  readonly env: { [name: string]: string };
  readonly workingDir: string;
  readonly uid: number;
  readonly gid: number;
  /** Where the container's stdout and stderr go. */
  readonly logFile: string;
}

/** A running sandbox (bwrap) process. */
export class Sandbox {
  /** The bwrap process. */
  public readonly process: ChildProcess;
  /** The pid (on the host) of the sandbox's init, once known. */
  public readonly ready: Promise<number>;
  /** Resolves with the exit code (or a signal name) when bwrap ends. */
  public readonly exited: Promise<number | string>;
  private exitStatus?: number | string;
  private sandboxPid?: number;

  public constructor(public readonly name: string, argv: string[], logFile?: string) {
    const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
    this.process = spawn(argv[0], argv.slice(1), { stdio: ['ignore', out, out, 'pipe'] });
    if (typeof out === 'number') fs.closeSync(out);
    this.exited = new Promise(resolve => this.process.once('exit', (code, signal) => {
      this.exitStatus = code ?? signal ?? 'unknown';
      resolve(this.exitStatus);
    }));
    const status = this.process.stdio[3] as NodeJS.ReadableStream;
    this.ready = new Promise((resolve, reject) => {
      let buf = '';
      status.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        const m = /"child-pid":\s*(\d+)/.exec(buf);
        if (m && this.sandboxPid === undefined) {
          this.sandboxPid = Number(m[1]);
          resolve(this.sandboxPid);
        }
      });
      status.on('error', () => undefined);
      void this.exited.then(code => reject(new RehearsalError(`${name}: the sandbox ended (${code}) before it started${logFile ? `: ${readText(logFile).trim()}` : ''}`)));
    });
    this.ready.catch(() => undefined);
  }

  /** The exit code or signal when the sandbox has ended, else undefined. */
  public get exitCode(): number | string | undefined {
    return this.exitStatus;
  }

  /** Kills the sandbox and everything in it (the pid namespace dies with its init) and waits for the end. */
  public async kill(): Promise<void> {
    const pid = this.sandboxPid;
    if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
    if (this.exitStatus === undefined) this.process.kill('SIGKILL');
    await this.exited;
    for (let i = 0; pid !== undefined && alive(pid) && i < 50; i++) await sleep(100);
    if (pid !== undefined && alive(pid)) throw new RehearsalError(`${this.name}: sandbox pid ${pid} survived its bwrap`);
  }
}

/** True while the host process `pid` runs (a zombie, dead but not reaped, counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return false;
  }
}

/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const BWRAP_COMMON = ['--die-with-parent', '--unshare-pid', '--unshare-ipc', '--json-status-fd', '3'];

/**
 * The pod's "pause" sandbox: it owns the pod's user and network namespaces
 * (loopback only). Resolves once its `sleep` runs: before that the user
 * namespace may have no uid map yet, and a container joining it could not
 * create its own.
 */
export async function startPause(podName: string): Promise<Sandbox> {
  const pause = new Sandbox(`pod ${podName} (pause)`, ['bwrap', ...BWRAP_COMMON,
    '--unshare-user', '--uid', '0', '--gid', '0', '--unshare-net', '--unshare-uts', '--hostname', podName.slice(0, 63),
    '--tmpfs', '/', '--proc', '/proc', '--dev', '/dev', ...rootArgs({ ...hostBase(), mounts: [], readOnlyRoot: true }),
    'sleep', 'infinity']);
  const pid = await pause.ready;
  for (let i = 0; i < 100 && !childRuns(pid, 'sleep'); i++) await sleep(50);
  if (!childRuns(pid, 'sleep')) {
    await pause.kill();
    throw new RehearsalError(`pod ${podName}: the pause sandbox did not start`);
  }
  return pause;
}

function childRuns(pid: number, comm: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)
      .some(c => c && fs.readFileSync(`/proc/${c}/comm`, 'utf8').trim() === comm);
  } catch {
    return false;
  }
}

/** The command prefix that runs a host program inside the pod's namespaces (user, network, uts). */
export function inPod(pausePid: number): string[] {
  return ['nsenter', '-t', String(pausePid), '-U', '-n', '-u', '--preserve-credentials'];
}

/** Starts a container in the pod of `pausePid`. */
export function startContainer(pausePid: number, run: ContainerRun): Sandbox {
  const env = Object.entries(run.env).flatMap(([k, v]) => ['--setenv', k, v]);
  const argv = [...inPod(pausePid), 'bwrap', ...BWRAP_COMMON,
    '--unshare-user', '--uid', String(run.uid), '--gid', String(run.gid),
    '--tmpfs', '/', '--proc', '/proc', '--dev', '/dev',
    ...rootArgs(run.root),
    '--clearenv', ...env, '--chdir', run.workingDir, '--', ...run.argv];
  return new Sandbox(`container "${run.name}"`, argv, run.logFile);
}

/**
 * The host's /usr (read-only) and its top-level links (/bin → usr/bin … on a
 * merged-/usr Debian), plus `extra` host paths bound at the same place.
 */
export function hostBase(extra: string[] = []): Pick<RootSpec, 'layers' | 'symlinks'> {
  const layers: RootLayer[] = ['/usr', ...extra].map(p => ({ hostPath: p, containerPath: p }));
  const symlinks: { [p: string]: string } = {};
  for (const d of ['/bin', '/sbin', '/lib', '/lib64']) {
    if (!fs.existsSync(d)) continue;
    if (fs.lstatSync(d).isSymbolicLink()) symlinks[d] = fs.readlinkSync(d);
    else layers.push({ hostPath: d, containerPath: d });
  }
  return { layers, symlinks };
}

/** The host tools a rehearsal needs, with the install line when one is missing. */
export function checkHostTools(): void {
  const missing = ['bwrap', 'nsenter', 'java', 'busybox'].filter(t => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (!fs.existsSync('/usr/share/tomcat10/bin/catalina.sh')) missing.push('tomcat10');
  if (missing.length > 0) {
    throw new RehearsalError(`the rehearsal needs ${missing.join(', ')}: install them with `
      + '`apt-get install -y --no-install-recommends bubblewrap tomcat10 busybox` (Debian 12; see docs/rehearsal.md)');
  }
}
