/**
 * The servlet API namespace a runtime provides or a WAR is compiled against.
 */
export enum ServletApi {
  /** Java EE / Jakarta EE 8 and older: `javax.servlet.*` (Tomcat 9 and older). */
  JAVAX = 'javax',
  /** Jakarta EE 9 and newer: `jakarta.servlet.*` (Tomcat 10 and newer). */
  JAKARTA = 'jakarta',
}
