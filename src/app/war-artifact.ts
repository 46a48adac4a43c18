import { ServletApi } from './servlet-api';
import { checkProps, checkValue, is } from '../core/checks';

/**
 * Options of a WAR artifact image.
 */
export interface WarArtifactOptions {
  /**
   * The WAR file names in the image, e.g. `['itil.war', 'ROOT.war']`.
   * `ROOT.war` serves `/`, `x.war` serves `/x`, `a#b.war` serves `/a/b`.
   */
  readonly wars: string[];
  /**
   * The folder of the image that holds the WARs.
   *
   * @default '/app_dir'
   */
  readonly path?: string;
  /**
   * The servlet API the WARs are compiled against; checked against the runtime
   * (Tomcat 10+ is Jakarta EE, Tomcat 9 and older javax).
   *
   * @default - not declared, not checked
   */
  readonly servletApi?: ServletApi;
}

/**
 * A small artifact image (busybox + compiled `*.war` files, no source) whose
 * WARs are copied into Tomcat's `webapps/` by an init container at deploy time.
 */
export class WarArtifact {
  /**
   * An artifact image.
   *
   * @param image image reference, e.g. 'registry.example.com/onecmdb-itil:1.4.0'
   * @param options the WAR files and where they are
   */
  public static fromImage(image: string, options: WarArtifactOptions): WarArtifact {
    checkValue('WarArtifact.fromImage', 'image', image, is.string());
    checkProps('WarArtifact.fromImage', 'WarArtifactOptions', options, {
      wars: is.arrayOf(is.string()),
      path: is.string(),
      servletApi: is.oneOf(ServletApi, 'ServletApi'),
    }, ['wars']);
    return new WarArtifact(image, options);
  }

  /**
   * The context path a WAR file is served on: `ROOT.war` → `/`,
   * `x.war` → `/x`, `a#b.war` → `/a/b`; a Tomcat parallel-deployment version
   * (`x##2.war`) is not part of the path (`/x`).
   */
  public static contextPath(war: string): string {
    const base = war.replace(/\.war$/, '').replace(/##.*$/, '');
    return base === 'ROOT' ? '/' : `/${base.replace(/#/g, '/')}`;
  }
  /** The artifact image reference. */
  public readonly image: string;
  /** The folder in the image holding the WARs. */
  public readonly path: string;
  /** The WAR file names. */
  public readonly wars: string[];
  /** The declared servlet API, when declared. */
  public readonly servletApi?: ServletApi;

  private constructor(image: string, options: WarArtifactOptions) {
    this.image = image;
    this.path = (options.path ?? '/app_dir');
    this.wars = [...(options.wars ?? [])];
    this.servletApi = options.servletApi;
  }


}
