// A pod of a synthesized Deployment, started for real: volumes materialized,
// init containers run in order to completion, then the containers started and
// their HTTP readiness probes polled on the pod's loopback until ready.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RehearsalError, tail } from './errors';
import { ImageRule, ImageStandIn, resolveImage } from './images';
import { checkHostTools, ContainerRun, inPod, RootLayer, Sandbox, sleep, startContainer, startPause } from './sandbox';
import { containerEnv, containerMounts, expandVars, MaterializedVolume, materializeVolumes, PodContext, VolumeStandIns } from './volumes';

/** Options of a rehearsal. */
export interface PodOptions {
  /** The Deployment (name) whose pod to start. */
  readonly deployment: string;
  /** Its namespace, when several Deployments share the name. */
  readonly namespace?: string;
  /** Which local root stands in for which image. */
  readonly images: ImageRule[];
  /** How long the pod may take to become ready. Default 120 s. */
  readonly readyTimeoutSeconds?: number;
  /** How long an init container may run. Default 60 s. */
  readonly initTimeoutSeconds?: number;
  /**
   * Checks the ready pod (e.g. its logs); a returned text fails the start with
   * that text and the pod's log. Default: none.
   */
  readonly check?: (pod: RehearsedPod) => string | undefined;
  /**
   * Volume types made empty directories instead of failing (e.g.
   * `{ persistentVolumeClaim: 'emptyDir', csi: 'emptyDir' }`); each stand-in is
   * logged and listed in `RehearsedPod.notes`. Default: none (such volumes fail).
   */
  readonly volumeStandIns?: VolumeStandIns;
  /** Keep the pod's directory (volumes, logs) after `stop()`, for debugging. Default: env REHEARSAL_KEEP. */
  readonly keep?: boolean;
  /**
   * Where the logs of a failed rehearsal are kept (see `RehearsedPod.keepLogs`):
   * `<dir>/<test name>/<namespace>_<pod>/`. Default: env REHEARSAL_LOGS_DIR, else
   * `.rehearsal/logs` at the repository root (git- and npm-ignored).
   */
  readonly failureLogsDir?: string;
}

/** `.rehearsal/logs` at the repository root. */
export const DEFAULT_FAILURE_LOGS_DIR = path.resolve(__dirname, '../../../.rehearsal/logs');

/** Log files in the pod's writable volumes that `keepLogs` copies (Tomcat's logs/ holds catalina.*.log, localhost.*.log …). */
const LOG_FILE = /\.(log|out|txt)$/;
const MAX_KEPT_LOG_BYTES = 5 * 1024 * 1024;

/** An HTTP answer from inside the pod. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: { [name: string]: string };
}

const LOG_LINES = 60;

// Runs inside the pod's network namespace (via nsenter): one HTTP GET on loopback.
const HTTP_GET = `
const [port, p, timeout, headers] = JSON.parse(process.argv[1]);
const req = require('http').get({ host: '127.0.0.1', port, path: p, headers, timeout }, res => {
  const chunks = []; let size = 0;
  res.on('data', c => { if (size < 262144) { chunks.push(c); size += c.length; } });
  res.on('end', () => process.stdout.write(JSON.stringify({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })));
});
req.on('timeout', () => { req.destroy(new Error('timed out after ' + timeout + ' ms')); });
req.on('error', e => { process.stdout.write(JSON.stringify({ error: e.message })); });
`;

/** A running rehearsal pod. Always `stop()` it (or use `withPod`). */
export class RehearsedPod {
  /**
   * Starts the pod of a Deployment from the synthesized manifests and waits
   * until every container with an HTTP readiness (or startup) probe answers
   * it with 2xx/3xx. On any failure the pod is torn down and a
   * `RehearsalError` says what failed, with the container's log.
   */
  public static async start(manifests: any[], options: PodOptions): Promise<RehearsedPod> {
    checkHostTools();
    const deployment = manifests.find(m => m?.kind === 'Deployment' && m.metadata?.name === options.deployment
      && (options.namespace === undefined || m.metadata?.namespace === options.namespace));
    if (!deployment) {
      throw new RehearsalError(`no Deployment "${options.deployment}" among ${manifests.filter(m => m?.kind === 'Deployment').map(m => m.metadata?.name).join(', ') || 'no Deployments'}`);
    }
    const pod = new RehearsedPod(deployment, manifests, options);
    try {
      await pod.run(options);
      return pod;
    } catch (e: any) {
      appendToError(e, pod.keptLogsNote());
      await pod.stop().catch(t => { e.message += `\n(and ${t.message})`; });
      throw e;
    }
  }

  /** `namespace/name` of the pod. */
  public readonly id: string;
  /** The pod's directory: volumes/, logs/, roots/. */
  public readonly dir: string;
  /** The pod spec (template) started. */
  public readonly spec: any;
  /** What the rehearsal did differently from a kubelet for this pod (volume stand-ins), also logged. */
  public readonly notes: string[] = [];
  private readonly ctx: PodContext;
  private volumes = new Map<string, MaterializedVolume>();
  private readonly standIns = new Map<string, ImageStandIn>();
  private pause?: Sandbox;
  private pausePid?: number;
  private readonly containers = new Map<string, Sandbox>();
  private readonly keep: boolean;
  private readonly failureLogsDir: string;
  private stopped = false;

  private constructor(deployment: any, manifests: any[], options: PodOptions) {
    const namespace = deployment.metadata?.namespace;
    const podName = `${deployment.metadata.name}-rehearsal`;
    this.id = `${namespace ?? 'default'}/${podName}`;
    this.spec = deployment.spec.template.spec;
    this.ctx = { manifests, namespace, podName };
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `rehearsal-${deployment.metadata.name}-`));
    this.keep = options.keep ?? Boolean(process.env.REHEARSAL_KEEP);
    this.failureLogsDir = options.failureLogsDir ?? process.env.REHEARSAL_LOGS_DIR ?? DEFAULT_FAILURE_LOGS_DIR;
    for (const d of ['volumes', 'logs', 'roots']) fs.mkdirSync(path.join(this.dir, d));
  }

  /** The container's output (stdout and stderr) so far, like `kubectl logs`. */
  public log(container: string): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'logs', `${container}.log`), 'utf8');
    } catch {
      return '';
    }
  }

  /** The host directory of a pod volume (e.g. to read Tomcat's log files in the logs emptyDir). */
  public volumeDir(volume: string): string {
    const v = this.volumes.get(volume);
    if (!v) throw new RehearsalError(`pod ${this.id}: no volume "${volume}"`);
    return v.hostPath;
  }

  /** The stand-in that ran a container's image. */
  public standIn(container: string): ImageStandIn {
    const s = this.standIns.get(container);
    if (!s) throw new RehearsalError(`pod ${this.id}: no container "${container}"`);
    return s;
  }

  /** HTTP GET `urlPath` on the pod's loopback at `port` (what a probe or a Service would reach). */
  public async get(urlPath: string, port = 8080, timeoutMs = 5000, headers: { [name: string]: string } = {}): Promise<HttpAnswer> {
    if (this.pausePid === undefined || this.stopped) throw new RehearsalError(`pod ${this.id} is not running`);
    const argv = [...inPod(this.pausePid), process.execPath, '-e', HTTP_GET, JSON.stringify([port, urlPath, timeoutMs, headers])];
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', c => stdout += c);
      child.stderr.on('data', c => stderr += c);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
      child.on('error', reject);
      child.on('exit', code => {
        clearTimeout(timer);
        if (code === 0 && stdout) resolve(stdout);
        else reject(new RehearsalError(`pod ${this.id}: GET ${urlPath}: the probe helper failed (${code}): ${stderr.trim()}`));
      });
    });
    const parsed = JSON.parse(out);
    if (parsed.error) throw new RehearsalError(`GET http://127.0.0.1:${port}${urlPath}: ${parsed.error}`);
    return parsed;
  }

  /** Kills every container and the pod sandbox, waits for them, removes the pod's directory. Idempotent. */
  public async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const problems: string[] = [];
    for (const s of [...this.containers.values(), ...(this.pause ? [this.pause] : [])]) {
      await s.kill().catch(e => problems.push(String(e.message ?? e)));
    }
    if (!this.keep) fs.rmSync(this.dir, { recursive: true, force: true });
    if (problems.length > 0) throw new RehearsalError(`pod ${this.id}: teardown: ${problems.join('; ')}`);
  }

  /**
   * Copies what a failure needs to be read into `<failureLogsDir>/<test name>/<namespace>_<pod>/`
   * (replacing an earlier copy): each container's output as `<container>.log` (Tomcat's
   * `catalina.sh run` writes there what a classic install writes to catalina.out), and the
   * log files (`*.log`, `*.out`, `*.txt`, up to 5 MiB each) at the top of the pod's emptyDir
   * volumes as `volumes/<volume>/<file>` (e.g. Tomcat's `localhost.<date>.log`, where web
   * applications' errors go). Returns the folder. Called on every failed start and by
   * `withPod` when its function throws; the pod's own directory is removed as usual.
   */
  public keepLogs(): string {
    const dir = path.join(this.failureLogsDir, testSlug(), this.id.replace(/\//g, '_'));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const logs = path.join(this.dir, 'logs');
    for (const f of fs.existsSync(logs) ? fs.readdirSync(logs) : []) fs.copyFileSync(path.join(logs, f), path.join(dir, f));
    for (const v of this.volumes.values()) {
      if (v.type !== 'emptyDir') continue;
      // the top of each emptyDir only: Tomcat's logs/ is flat, and deeper files are content (an expanded WAR's)
      for (const e of fs.readdirSync(v.hostPath, { withFileTypes: true })) {
        const from = path.join(v.hostPath, e.name);
        if (!e.isFile() || !LOG_FILE.test(e.name) || fs.statSync(from).size > MAX_KEPT_LOG_BYTES) continue;
        fs.mkdirSync(path.join(dir, 'volumes', v.name), { recursive: true });
        fs.copyFileSync(from, path.join(dir, 'volumes', v.name, e.name));
      }
    }
    return dir;
  }

  /** `keepLogs()` as a line for an error message (never throws: a failure must stay readable). */
  public keptLogsNote(): string {
    try {
      const dir = this.keepLogs();
      const rel = path.relative(process.cwd(), dir);
      return `\n(logs of pod ${this.id} kept in ${rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel}/)`;
    } catch (e: any) {
      return `\n(the logs of pod ${this.id} could not be kept: ${e.message})`;
    }
  }

  /** True when every process of the pod is gone. */
  public get terminated(): boolean {
    return this.stopped && [...this.containers.values(), ...(this.pause ? [this.pause] : [])].every(s => s.exitCode !== undefined);
  }

  private async run(options: PodOptions): Promise<void> {
    this.volumes = materializeVolumes(this.spec, this.ctx, path.join(this.dir, 'volumes'), options.volumeStandIns, message => {
      this.notes.push(message);
      console.log(`rehearsal pod ${this.id}: ${message}`);
    });
    const inits: any[] = this.spec.initContainers ?? [];
    const mains: any[] = this.spec.containers ?? [];
    // resolve every image first, so an unknown image fails before anything starts
    const runs = new Map<string, ContainerRun>();
    for (const c of [...inits, ...mains]) runs.set(c.name, this.prepare(c, options.images));
    this.pause = await startPause(this.id.split('/')[1]);
    this.pausePid = await this.pause.ready;
    for (const c of inits) {
      const s = startContainer(this.pausePid, runs.get(c.name)!);
      this.containers.set(c.name, s);
      const code = await within(s.exited, (options.initTimeoutSeconds ?? 60) * 1000, 'timeout');
      if (code !== 0) {
        throw new RehearsalError(`pod ${this.id}: init container "${c.name}" (image "${c.image}") ${code === 'timeout' ? 'did not finish in time' : `exited with ${code}`}\n${this.logExcerpt(c.name)}`);
      }
    }
    for (const c of mains) this.containers.set(c.name, startContainer(this.pausePid, runs.get(c.name)!));
    await this.waitReady(mains, (options.readyTimeoutSeconds ?? 120) * 1000);
    const problem = options.check?.(this);
    if (problem) {
      throw new RehearsalError(`pod ${this.id}: ready, but ${problem}\n${mains.map(c => this.logExcerpt(c.name)).join('\n')}`);
    }
  }

  private prepare(c: any, images: ImageRule[]): ContainerRun {
    const what = `pod ${this.id}: container "${c.name}"`;
    const image = resolveImage(images, c.image);
    this.standIns.set(c.name, image);
    const sc = { ...(this.spec.securityContext ?? {}), ...(c.securityContext ?? {}) };
    const uid = sc.runAsUser ?? image.user;
    const gid = sc.runAsGroup ?? 0;
    if (sc.runAsNonRoot && uid === 0) {
      throw new RehearsalError(`${what}: runAsNonRoot is set but the image "${c.image}" runs as root and no runAsUser is given (the kubelet refuses to start it)`);
    }
    const own = containerEnv(c, this.ctx, {});
    const argv = commandLine(c, image).map(a => expandVars(a, own));
    if (argv.length === 0) throw new RehearsalError(`${what}: no command: the manifest has none and the image stand-in neither`);
    // a per-container copy of the image's layout: a writable root must not leak into other containers
    const layoutCopy = path.join(this.dir, 'roots', c.name);
    fs.cpSync(image.layout, layoutCopy, { recursive: true, verbatimSymlinks: true });
    const readOnlyRoot = Boolean(sc.readOnlyRootFilesystem);
    const layers: RootLayer[] = [...image.layers, { hostPath: layoutCopy, containerPath: '/', writable: !readOnlyRoot }];
    return {
      name: c.name,
      root: { layers, symlinks: image.symlinks, mounts: containerMounts(c, this.volumes, own), readOnlyRoot },
      argv,
      env: { ...image.env, ...own },
      workingDir: c.workingDir ?? image.workingDir,
      uid,
      gid,
      logFile: path.join(this.dir, 'logs', `${c.name}.log`),
    };
  }

  private async waitReady(mains: any[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Map<string, any>();
    for (const c of mains) {
      const probe = c.readinessProbe ?? c.startupProbe;
      if (!probe) continue;
      if (!probe.httpGet) throw new RehearsalError(`pod ${this.id}: container "${c.name}": only httpGet probes are rehearsed, not ${Object.keys(probe).join(', ')}`);
      pending.set(c.name, c);
    }
    const last = new Map<string, string>();
    let attempts = 0;
    while (pending.size > 0) {
      attempts++;
      for (const [name, c] of pending) {
        const exit = this.containers.get(name)!.exitCode;
        if (exit !== undefined) {
          throw new RehearsalError(`pod ${this.id}: container "${name}" exited with ${exit} before it was ready\n${this.logExcerpt(name)}`);
        }
        const probe = c.readinessProbe ?? c.startupProbe;
        const port = probePort(c, probe.httpGet.port);
        const headers = Object.fromEntries((probe.httpGet.httpHeaders ?? []).map((h: any) => [h.name, h.value]));
        const url = `GET http://127.0.0.1:${port}${probe.httpGet.path ?? '/'}`;
        try {
          const answer = await this.get(probe.httpGet.path ?? '/', port, (probe.timeoutSeconds ?? 1) * 1000, headers);
          if (answer.status >= 200 && answer.status < 400) pending.delete(name);
          else last.set(name, `${url} answered HTTP ${answer.status}`);
        } catch (e: any) {
          last.set(name, `${url} failed: ${e.message}`);
        }
      }
      if (pending.size === 0) break;
      if (Date.now() > deadline) {
        const name = [...pending.keys()][0];
        throw new RehearsalError(`pod ${this.id}: container "${name}" not ready after ${Math.round(timeoutMs / 1000)} s: `
          + `readiness probe ${last.get(name)} (attempt ${attempts})\n${this.logExcerpt(name)}`);
      }
      await sleep(1000);
    }
  }

  /** The last lines of a container's log, framed, for failure messages. */
  public logExcerpt(container: string): string {
    return `--- log of container "${container}" (last ${LOG_LINES} lines) ---\n${tail(this.log(container), LOG_LINES)}\n---`;
  }
}

/** The argv Kubernetes runs: command (else the image's ENTRYPOINT) + args (else, without command, the image's CMD). */
export function commandLine(c: any, image: Pick<ImageStandIn, 'entrypoint' | 'cmd'>): string[] {
  if (c.command) return [...c.command, ...(c.args ?? [])];
  return [...image.entrypoint, ...(c.args ?? image.cmd)];
}

function probePort(c: any, port: number | string): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = (c.ports ?? []).find((p: any) => p.name === port);
  if (!named) throw new RehearsalError(`container "${c.name}": probe port "${port}" is not a named port of the container`);
  return named.containerPort;
}

/** `promise`'s value, or `onTimeout` after `ms` (the timer does not outlive the race). */
async function within<T, U>(promise: Promise<T>, ms: number, onTimeout: U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<U>(resolve => { timer = setTimeout(() => resolve(onTimeout), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts a pod, runs `fn` with it, always stops it. */
export async function withPod<T>(manifests: any[], options: PodOptions, fn: (pod: RehearsedPod) => Promise<T>): Promise<T> {
  const pod = await RehearsedPod.start(manifests, options);
  try {
    return await fn(pod);
  } catch (e: any) {
    appendToError(e, pod.keptLogsNote());
    throw e;
  } finally {
    await pod.stop();
  }
}

/** The running jest test's name as a folder name ("rehearsal" outside jest). */
function testSlug(): string {
  const name: string | undefined = (globalThis as any).expect?.getState?.().currentTestName;
  return (name ?? 'rehearsal').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'rehearsal';
}

/** Adds a line to an error's message (and its stack, which jest prints). */
function appendToError(e: any, note: string): void {
  if (!(e instanceof Error)) return;
  const before = e.message;
  e.message += note;
  if (e.stack?.includes(before)) e.stack = e.stack.replace(before, () => e.message);
}
