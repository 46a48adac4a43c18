// The image table: which local root stands in for which image reference.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { testAgentJar } from './agent';
import { RehearsalError } from './errors';
import { hostBase, RootLayer } from './sandbox';
import { testWar } from './war';

/** A local root that stands in for a container image. */
export interface ImageStandIn {
  /** What it is, for messages. */
  readonly description: string;
  /** Host content bound read-only (the base system the image is stood in by). */
  readonly layers: RootLayer[];
  readonly symlinks: { [containerPath: string]: string };
  /** A host directory laid over the root (copied per container). */
  readonly layout: string;
  /** The image's ENV. */
  readonly env: { [name: string]: string };
  /** The image's WORKDIR. */
  readonly workingDir: string;
  /** The image's ENTRYPOINT. */
  readonly entrypoint: string[];
  /** The image's CMD. */
  readonly cmd: string[];
  /** The image's USER (numeric). */
  readonly user: number;
  /** Log lines that come from the stand-in, not from the manifest under test. */
  readonly logNoise: RegExp[];
}

/** One row of the image table. */
export interface ImageRule {
  /** Matches image references, e.g. /^tomcat:/ or an exact reference. */
  readonly pattern: RegExp | string;
  /** Builds (once) the stand-in. */
  readonly standIn: () => ImageStandIn;
}

/** The stand-in for `image`, or a clear error listing what the table knows. */
export function resolveImage(table: ImageRule[], image: string): ImageStandIn {
  const rule = table.find(r => (typeof r.pattern === 'string' ? r.pattern === image : r.pattern.test(image)));
  if (!rule) {
    throw new RehearsalError(`image "${image}" has no local stand-in in the rehearsal's image table (known: ${table.map(r => String(r.pattern)).join(', ')}); `
      + 'add a row to the table (test/rehearsal/harness/images.ts)');
  }
  return rule.standIn();
}

let cacheDir: string | undefined;

/** A per-process directory for stand-in layouts (see `removeLayoutCache`). */
function layoutCache(): string {
  if (!cacheDir) {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-images-'));
    process.once('exit', removeLayoutCache);
  }
  return cacheDir;
}

/** Removes the stand-in layouts (jest runs it after each test file: test/rehearsal/setup.ts). */
export function removeLayoutCache(): void {
  if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  cacheDir = undefined;
}

/** `f`'s value, computed once per layout cache. */
function once<T>(f: () => T): () => T {
  let v: T | undefined;
  let dir: string | undefined;
  return () => {
    if (v === undefined || dir !== cacheDir) {
      v = f();
      dir = cacheDir;
    }
    return v;
  };
}

const TOMCAT_SHARE = '/usr/share/tomcat10';
const OFFICIAL_HOME = '/usr/local/tomcat';
const OFFICIAL_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Copies a directory's entries; symbolic links become absolute links to what they resolve to. */
function copyResolved(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    if (e.isSymbolicLink()) fs.symlinkSync(fs.realpathSync(src), path.join(to, e.name));
    else if (e.isFile()) fs.copyFileSync(src, path.join(to, e.name));
  }
}

/**
 * Debian's tomcat10 (Tomcat 10.1) laid out as the official `tomcat` image:
 * `/usr/local/tomcat/{bin,lib,conf}` from /usr/share/tomcat10 (conf from its
 * world-readable `etc/` templates), empty `logs temp work webapps` (1777,
 * 1777, 1777, 0755 as in the image), the host's /usr and /etc read-only,
 * ENV CATALINA_HOME and PATH, WORKDIR /usr/local/tomcat, CMD catalina.sh run, USER root.
 */
export const tomcatStandIn = once((): ImageStandIn => {
  const java = spawnSync('sh', ['-c', 'readlink -f "$(command -v java)"'], { encoding: 'utf8' }).stdout.trim();
  if (!java || !fs.existsSync(`${TOMCAT_SHARE}/bin/catalina.sh`)) {
    throw new RehearsalError('the tomcat stand-in needs Debian\'s tomcat10 and a JRE: apt-get install -y --no-install-recommends tomcat10');
  }
  const layout = path.join(layoutCache(), 'tomcat');
  const home = path.join(layout, OFFICIAL_HOME);
  copyResolved(`${TOMCAT_SHARE}/bin`, `${home}/bin`);
  copyResolved(`${TOMCAT_SHARE}/lib`, `${home}/lib`);
  copyResolved(`${TOMCAT_SHARE}/etc`, `${home}/conf`);
  for (const [dir, mode] of [['logs', 0o1777], ['temp', 0o1777], ['work', 0o1777], ['webapps', 0o755]] as const) {
    fs.mkdirSync(`${home}/${dir}`);
    fs.chmodSync(`${home}/${dir}`, mode);
  }
  fs.mkdirSync(`${layout}/tmp`);
  fs.chmodSync(`${layout}/tmp`, 0o1777);
  return {
    description: 'Debian tomcat10 (Tomcat 10.1) laid out as the official tomcat image',
    ...hostBase(['/etc']),
    layout,
    env: {
      PATH: `${OFFICIAL_HOME}/bin:${OFFICIAL_PATH}`,
      CATALINA_HOME: OFFICIAL_HOME,
      JAVA_HOME: path.dirname(path.dirname(java)),
      LANG: 'C.UTF-8',
    },
    workingDir: OFFICIAL_HOME,
    entrypoint: [],
    cmd: ['catalina.sh', 'run'],
    user: 0,
    // Debian's libtcnative-1 (a Recommends of tomcat10) is older than Tomcat 10.1 wants; the
    // official images build a matching Tomcat Native, so this line is the stand-in's, not the app's.
    logNoise: [/An incompatible version \[[^\]]*\] of the Apache Tomcat Native library is installed/],
  };
});

/**
 * A busybox image: the host's busybox as /bin/busybox with a link per applet,
 * the host's shared libraries read-only, /etc/passwd and /etc/group with root
 * and nobody, and `files` (container path → content) laid in.
 */
export function busyboxStandIn(name: string, files: { [containerPath: string]: Buffer | string } = {}): ImageStandIn {
  const busybox = spawnSync('sh', ['-c', 'readlink -f "$(command -v busybox)"'], { encoding: 'utf8' }).stdout.trim();
  if (!busybox) throw new RehearsalError('the busybox stand-in needs busybox: apt-get install -y busybox');
  const layout = fs.mkdtempSync(path.join(layoutCache(), `busybox-${name.replace(/[^A-Za-z0-9.-]+/g, '-')}-`));
  fs.mkdirSync(`${layout}/bin`);
  fs.copyFileSync(busybox, `${layout}/bin/busybox`);
  fs.chmodSync(`${layout}/bin/busybox`, 0o755);
  const applets = spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(a => a && a !== 'busybox');
  for (const a of applets) fs.symlinkSync('busybox', `${layout}/bin/${a}`);
  fs.mkdirSync(`${layout}/etc`);
  fs.writeFileSync(`${layout}/etc/passwd`, 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  fs.writeFileSync(`${layout}/etc/group`, 'root:x:0:\nnobody:x:65534:\n');
  fs.mkdirSync(`${layout}/tmp`);
  fs.chmodSync(`${layout}/tmp`, 0o1777);
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(layout, p)), { recursive: true });
    fs.writeFileSync(path.join(layout, p), content);
  }
  const libs = hostBase().layers.filter(l => l.containerPath !== '/usr');
  return {
    description: `busybox${Object.keys(files).length ? ` with ${Object.keys(files).join(', ')}` : ''}`,
    layers: [...libs, ...['/usr/lib', '/usr/lib64'].filter(p => fs.existsSync(p)).map(p => ({ hostPath: p, containerPath: p }))],
    symlinks: Object.fromEntries(Object.entries(hostBase().symlinks).filter(([p]) => p === '/lib' || p === '/lib64')),
    layout,
    env: { PATH: OFFICIAL_PATH },
    workingDir: '/',
    entrypoint: [],
    cmd: ['sh'],
    user: 0,
    logNoise: [],
  };
}

/** The files (absolute paths) ending in `ext` an init container copies with `cp <file>… <dest>`, if it is one. */
export function filesCopiedBy(container: any, ext: string): string[] {
  const cmd: string[] = [...(container.command ?? []), ...(container.args ?? [])];
  if (cmd[0] !== 'cp' || cmd.length < 3) return [];
  const sources = cmd.slice(1, -1).filter(a => !a.startsWith('-'));
  return sources.every(s => s.endsWith(ext)) ? sources : [];
}

/** The WAR files (absolute paths) an init container copies with `cp <war>… <dir>`, if it is one. */
export function warsCopiedBy(container: any): string[] {
  return filesCopiedBy(container, '.war');
}

/**
 * Rows for the artifact images of the given manifests, found by their init
 * containers' copy commands: an image that copies WARs stands in as busybox
 * with a servlet-API-neutral test WAR (see `testWar`) at each path copied
 * from; an image that copies a `*.jar` (the JMX exporter's agent image) as
 * busybox with the rehearsal's javaagent jar (see `testAgentJar`) there.
 */
export function artifactRules(manifests: any[]): ImageRule[] {
  const files = new Map<string, Map<string, () => Buffer>>();
  for (const m of manifests) {
    for (const c of m?.spec?.template?.spec?.initContainers ?? []) {
      const copied: Array<[string, () => Buffer]> = [
        ...warsCopiedBy(c).map((p): [string, () => Buffer] => [p, () => testWar(path.basename(p))]),
        ...filesCopiedBy(c, '.jar').map((p): [string, () => Buffer] => [p, testAgentJar]),
      ];
      if (copied.length === 0) continue;
      const byPath = files.get(c.image) ?? new Map<string, () => Buffer>();
      copied.forEach(([p, content]) => byPath.set(p, content));
      files.set(c.image, byPath);
    }
  }
  return [...files].map(([image, byPath]) => ({
    pattern: image,
    standIn: once(() => busyboxStandIn(image, Object.fromEntries([...byPath].map(([p, content]) => [p, content()])))),
  }));
}

/**
 * A row standing in for one artifact image with the given files (container path →
 * content), e.g. a real servlet WAR built by `buildServletWar` at the path the
 * manifest's init container copies from. Put it before `defaultImageTable`'s rows:
 * the first matching row wins.
 */
export function artifactImageRule(image: string, files: { [containerPath: string]: Buffer | string }): ImageRule {
  return { pattern: image, standIn: once(() => busyboxStandIn(image, files)) };
}

/** Official `busybox` images. */
export const BUSYBOX_RULE: ImageRule = { pattern: /^(docker\.io\/)?(library\/)?busybox(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/, standIn: once(() => busyboxStandIn('busybox')) };

/** Official `tomcat` images of every line (all stood in by Debian's Tomcat 10.1). */
export const TOMCAT_RULE: ImageRule = { pattern: /^(docker\.io\/)?(library\/)?tomcat(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/, standIn: tomcatStandIn };

/** The default table for a set of manifests: their WAR and agent artifact images, tomcat:*, busybox:*. */
export function defaultImageTable(manifests: any[]): ImageRule[] {
  return [...artifactRules(manifests), TOMCAT_RULE, BUSYBOX_RULE];
}
