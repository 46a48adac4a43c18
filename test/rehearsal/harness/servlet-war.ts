// Real servlet WARs for the rehearsal: a webapp source folder compiled with the
// host's JDK (javac) against Debian's servlet API jars and packaged with `jar`.
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RehearsalError, tail } from './errors';
import { ServletApi } from '../../../src';

/** Debian's API jars (`dpkg -L libjakarta-servlet-api-java libservlet-api-java`). */
export const SERVLET_API_JARS: { readonly [api in ServletApi]: string } = {
  [ServletApi.JAKARTA]: '/usr/share/java/jakarta-servlet-api.jar', // Jakarta Servlet 5.0 (Tomcat 10.0+)
  [ServletApi.JAVAX]: '/usr/share/java/servlet-api.jar', // Java Servlet 4.0 (Tomcat 9 and older)
};

/** The class-file level per API: Tomcat 9 runs on Java 8, Tomcat 10.1 needs Java 11. */
const RELEASE: { readonly [api in ServletApi]: string } = { [ServletApi.JAKARTA]: '11', [ServletApi.JAVAX]: '8' };

const INSTALL = 'apt-get install -y --no-install-recommends openjdk-17-jdk-headless libjakarta-servlet-api-java libservlet-api-java';

/** A built WAR. */
export interface ServletWar {
  /** The WAR's bytes. */
  readonly content: Buffer;
  /** Where it is on the host (in the build cache). */
  readonly file: string;
  /** The servlet API it was compiled against. */
  readonly api: ServletApi;
  /** Whether this call built it (false: taken from the cache). */
  readonly built: boolean;
}

/** Options of `buildServletWar`. */
export interface ServletWarOptions {
  /** Where built WARs are kept, by source hash. Default: `<tmp>/cdk8s-paas-rehearsal-wars`. */
  readonly cacheDir?: string;
}

/**
 * Compiles a webapp folder into a WAR, or takes it from the cache when the same
 * sources were built before. The folder holds Java sources under `src/`, written
 * against `jakarta.servlet`, plus the WAR's other files (`WEB-INF/web.xml`,
 * static content) as they go into the archive. For `javax` the sources and
 * web.xml are rewritten to the Java EE namespace first (`jakarta.servlet` →
 * `javax.servlet`, the reverse of the Tomcat migration tool): the same
 * application built for Tomcat 9 and older.
 */
export function buildServletWar(webapp: string, api: ServletApi, options: ServletWarOptions = {}): ServletWar {
  const files = sourceFiles(webapp).map(rel => ({ rel, text: forApi(rel, fs.readFileSync(path.join(webapp, rel)), api) }));
  const hash = crypto.createHash('sha256').update(JSON.stringify([api, RELEASE[api], SERVLET_API_JARS[api], jarStamp(api)]));
  for (const f of files) hash.update(f.rel).update('\0').update(f.text).update('\0');
  const cacheDir = options.cacheDir ?? path.join(os.tmpdir(), 'cdk8s-paas-rehearsal-wars');
  const file = path.join(cacheDir, `${path.basename(webapp)}-${api}-${hash.digest('hex').slice(0, 16)}.war`);
  if (fs.existsSync(file)) return { content: fs.readFileSync(file), file, api, built: false };

  fs.mkdirSync(cacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(cacheDir, 'build-'));
  try {
    const src = path.join(work, 'src');
    const war = path.join(work, 'war');
    for (const f of files) {
      const to = f.rel.startsWith('src/') ? path.join(src, f.rel.slice(4)) : path.join(war, f.rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, f.text);
    }
    const sources = files.filter(f => f.rel.startsWith('src/') && f.rel.endsWith('.java')).map(f => path.join(src, f.rel.slice(4)));
    if (sources.length === 0) throw new RehearsalError(`${webapp}: no Java sources under src/`);
    run('javac', ['--release', RELEASE[api], '-Xlint:-options', '-encoding', 'UTF-8', '-cp', SERVLET_API_JARS[api],
      '-d', path.join(war, 'WEB-INF', 'classes'), ...sources]);
    const out = path.join(work, 'app.war');
    run('jar', ['--create', '--file', out, '-C', war, '.']);
    fs.renameSync(out, file); // atomic: a concurrent or interrupted build never leaves half a WAR
    return { content: fs.readFileSync(file), file, api, built: true };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The entries (paths relative to the WAR, `/`-separated) of a WAR, read with `jar --list`. */
export function warEntries(file: string): string[] {
  return run('jar', ['--list', '--file', file]).split('\n').filter(Boolean);
}

/** Relative paths of the regular files under `dir`, sorted. */
function sourceFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) throw new RehearsalError(`webapp folder ${dir} does not exist`);
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap(e => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) return sourceFiles(path.join(dir, e.name), rel);
    return e.isFile() ? [rel] : [];
  });
}

/** A source file as compiled for `api`: jakarta sources unchanged; for javax, Java and web.xml rewritten. */
function forApi(rel: string, content: Buffer, api: ServletApi): Buffer {
  if (api === ServletApi.JAKARTA) return content;
  if (rel.endsWith('.java')) return Buffer.from(content.toString('utf8').replace(/\bjakarta\.servlet\b/g, 'javax.servlet'));
  if (rel === 'WEB-INF/web.xml') {
    return Buffer.from(content.toString('utf8')
      .replace(/https:\/\/jakarta\.ee\/xml\/ns\/jakartaee\/web-app_\d+_\d+\.xsd/g, 'http://xmlns.jcp.org/xml/ns/javaee/web-app_4_0.xsd')
      .replace(/https:\/\/jakarta\.ee\/xml\/ns\/jakartaee/g, 'http://xmlns.jcp.org/xml/ns/javaee')
      .replace(/(<web-app\b[^>]*\bversion=")[\d.]+"/, '$14.0"'));
  }
  return content;
}

/** Identifies the API jar's content (a Debian upgrade rebuilds the WARs). */
function jarStamp(api: ServletApi): string {
  const jar = SERVLET_API_JARS[api];
  if (!fs.existsSync(jar)) {
    throw new RehearsalError(`the ${api} servlet API jar ${jar} is missing: ${INSTALL}`);
  }
  const st = fs.statSync(jar);
  return `${fs.realpathSync(jar)}:${st.size}:${st.mtimeMs}`;
}

function run(tool: string, args: string[]): string {
  const res = spawnSync(tool, args, { encoding: 'utf8' });
  if (res.error) throw new RehearsalError(`${tool} is not available (${res.error.message}): ${INSTALL}`);
  if (res.status !== 0) {
    throw new RehearsalError(`${tool} ${args.slice(0, 4).join(' ')} … failed (exit ${res.status}):\n${tail(`${res.stdout}${res.stderr}`, 40)}`);
  }
  return res.stdout;
}
