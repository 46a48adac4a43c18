import { ServletApi } from './servlet-api';
import { checkProps, checkValue, is, PropsSpec } from '../core/checks';
import { ValidationError } from '../core/errors';

/** Where the official images install Tomcat (`ENV CATALINA_HOME`). */
const OFFICIAL_CATALINA_HOME = '/usr/local/tomcat';
/** Default non-root UID/GID the library runs Tomcat as (the official images have no USER). */
const DEFAULT_UID = 10001;

interface LineFacts {
  readonly servletApi: ServletApi;
  /** Upstream end-of-life date, when past. */
  readonly endOfLife?: string;
}

// Facts from ../shared/reference/tomcat-image.json (tomcat.apache.org "which version").
const LINES: { [line: string]: LineFacts } = {
  '7.0': { servletApi: ServletApi.JAVAX, endOfLife: '2021-03-31' },
  '8.0': { servletApi: ServletApi.JAVAX, endOfLife: '2018-06-30' },
  '8.5': { servletApi: ServletApi.JAVAX, endOfLife: '2024-03-31' },
  '9.0': { servletApi: ServletApi.JAVAX },
  '10.0': { servletApi: ServletApi.JAKARTA, endOfLife: '2022-10-31' },
  '10.1': { servletApi: ServletApi.JAKARTA },
  '11.0': { servletApi: ServletApi.JAKARTA },
};

/**
 * Options for a private Tomcat base image.
 */
export interface TomcatRuntimeOptions {
  /**
   * Where Tomcat is installed in the image (`CATALINA_HOME`, also `CATALINA_BASE`).
   *
   * @default '/usr/local/tomcat'
   */
  readonly catalinaHome?: string;
  /**
   * The servlet API the image's Tomcat provides.
   *
   * @default ServletApi.JAVAX
   */
  readonly servletApi?: ServletApi;
  /**
   * Numeric UID Tomcat runs as (must be non-root).
   *
   * @default 10001
   */
  readonly user?: number;
  /**
   * Numeric GID Tomcat runs as, also the pod's fsGroup.
   *
   * @default - same as `user`
   */
  readonly group?: number;
  /**
   * Directories under `catalinaHome` that Tomcat writes at run time; each
   * becomes an emptyDir so the root filesystem can stay read-only.
   * `webapps` is always writable (it receives the WARs).
   *
   * @default ['logs', 'temp', 'work', 'conf/Catalina']
   */
  readonly writableDirs?: string[];
  /**
   * The Tomcat line, for documentation and end-of-life warnings.
   *
   * @default - unknown
   */
  readonly line?: string;
}

const OPTIONS: PropsSpec = {
  catalinaHome: is.string(),
  servletApi: is.oneOf(ServletApi, 'ServletApi'),
  user: is.number({ integer: true }),
  group: is.number({ integer: true }),
  writableDirs: is.arrayOf(is.string()),
  line: is.string(),
};

/**
 * A Tomcat base image: an official `tomcat:<line>` image or a private one.
 */
export class TomcatRuntime {
  /** The Tomcat lines `TomcatRuntime.of` accepts. */
  public static readonly SUPPORTED_LINES: string[] = Object.keys(LINES);

  /**
   * The official `tomcat:<line>` image (7.0, 8.0, 8.5, 9.0, 10.0, 10.1, 11.0).
   *
   * End-of-life lines (7.0, 8.0, 8.5, 10.0) are accepted with a synth warning.
   *
   * @param tomcatLine the Tomcat line, e.g. '9.0'
   * @param options overrides, e.g. `user`
   */
  public static of(tomcatLine: string, options: TomcatRuntimeOptions = {}): TomcatRuntime {
    checkValue('TomcatRuntime.of', 'line', tomcatLine, is.string());
    checkProps('TomcatRuntime.of', 'TomcatRuntimeOptions', options, OPTIONS);
    const line = tomcatLine;
    const facts = Object.prototype.hasOwnProperty.call(LINES, line) ? LINES[line] : undefined;
    if (!facts) {
      throw ValidationError.unscoped('TomcatRuntime.of', 'line', line,
        `is not a supported Tomcat line; valid lines are ${Object.keys(LINES).join(', ')} (use TomcatRuntime.fromImage for other images)`);
    }
    return new TomcatRuntime(`tomcat:${line}`, {
      ...options,
      line,
      servletApi: facts.servletApi,
      catalinaHome: options.catalinaHome ?? OFFICIAL_CATALINA_HOME,
    }, facts.endOfLife);
  }

  /**
   * A private base image with Tomcat installed.
   *
   * @param image the image reference, e.g. 'registry.example.com/base/tomcat:9-corp'
   * @param options where Tomcat lives and what it provides
   */
  public static fromImage(image: string, options: TomcatRuntimeOptions = {}): TomcatRuntime {
    checkValue('TomcatRuntime.fromImage', 'image', image, is.string());
    checkProps('TomcatRuntime.fromImage', 'TomcatRuntimeOptions', options, OPTIONS);
    const facts = options.line && Object.prototype.hasOwnProperty.call(LINES, options.line) ? LINES[options.line] : undefined;
    return new TomcatRuntime(image, options, facts?.endOfLife);
  }

  /** The base image reference. */
  public readonly image: string;
  /** `CATALINA_HOME` (and `CATALINA_BASE`) in the image. */
  public readonly catalinaHome: string;
  /** The servlet API the runtime provides. */
  public readonly servletApi: ServletApi;
  /** UID Tomcat runs as. */
  public readonly user: number;
  /** GID Tomcat runs as. */
  public readonly group: number;
  /** Directories under `catalinaHome` Tomcat writes (besides webapps). */
  public readonly writableDirs: string[];
  /** The Tomcat line, when known. */
  public readonly line?: string;
  /** The upstream end-of-life date when this line is end-of-life. */
  public readonly endOfLife?: string;

  private constructor(image: string, options: TomcatRuntimeOptions, endOfLife?: string) {
    this.image = image;
    const home = options.catalinaHome ?? OFFICIAL_CATALINA_HOME;
    // keep "/" (an invalid home) as given, so validation reports the value received
    this.catalinaHome = home.length > 1 ? home.replace(/\/+$/, '') : home;
    this.servletApi = options.servletApi ?? ServletApi.JAVAX;
    this.user = options.user ?? DEFAULT_UID;
    this.group = options.group ?? this.user;
    this.writableDirs = options.writableDirs ?? ['logs', 'temp', 'work', 'conf/Catalina'];
    this.line = options.line;
    this.endOfLife = endOfLife;
  }

  /** `$CATALINA_HOME/webapps`, where the WARs are served from. */
  public get webappsDir(): string {
    return `${this.catalinaHome}/webapps`;
  }
}
