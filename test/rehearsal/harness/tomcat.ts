// Tomcat-specific readings of a rehearsed pod.
import * as fs from 'fs';
import * as path from 'path';
import { RehearsedPod } from './pod';

/**
 * Tomcat's SEVERE lines: from the container's output (`catalina.sh run` logs
 * to stdout) and from every file in the volume mounted at `$CATALINA_HOME/logs`
 * (the `localhost.*.log` file gets the web applications' errors and only goes
 * to a file), minus the lines the image stand-in is known to cause.
 */
export function tomcatSevereLines(pod: RehearsedPod, container = 'tomcat'): string[] {
  const c = (pod.spec.containers ?? []).find((x: any) => x.name === container);
  const standIn = pod.standIn(container);
  const home = standIn.env.CATALINA_HOME ?? '/usr/local/tomcat';
  const logsMount = (c?.volumeMounts ?? []).find((m: any) => m.mountPath === `${home}/logs` && !m.subPath);
  const texts = [pod.log(container)];
  if (logsMount) {
    const dir = pod.volumeDir(logsMount.name);
    for (const f of fs.readdirSync(dir)) texts.push(fs.readFileSync(path.join(dir, f), 'utf8'));
  }
  const severe: string[] = [];
  for (const lines of texts.map(t => t.split('\n'))) {
    lines.forEach((l, i) => {
      if (!/^\S+ \S+ SEVERE \[/.test(l) || standIn.logNoise.some(re => re.test(l))) return;
      // the exception's message is on the next, indented line
      severe.push(/^\s/.test(lines[i + 1] ?? '') ? `${l}\n${lines[i + 1]}` : l);
    });
  }
  return [...new Set(severe)];
}

/** A `PodOptions.check` that fails a ready pod whose Tomcat logged SEVERE lines. */
export function noSevereTomcatLines(container = 'tomcat'): (pod: RehearsedPod) => string | undefined {
  return pod => {
    const severe = tomcatSevereLines(pod, container);
    return severe.length === 0 ? undefined
      : `Tomcat in container "${container}" logged ${severe.length} SEVERE line(s):\n${severe.join('\n')}`;
  };
}
