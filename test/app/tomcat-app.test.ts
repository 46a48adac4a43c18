import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ServletApi, TomcatApp, TomcatRuntime, ValidationError, WarArtifact, Warnings } from '../../src';
import { findObject, synthValid } from '../fixtures/validate';

const artifact = (wars = ['itil.war', 'ROOT.war'], image = 'registry.example.com/onecmdb-itil:1.4.0') => WarArtifact.fromImage(image, { path: '/app_dir', wars });

describe('TomcatApp', () => {
  test('composes artifact init containers with the Tomcat image (strict-valid, PSS restricted)', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new TomcatApp(chart, 'onecmdb', { runtime: TomcatRuntime.of('8.0'), artifacts: [artifact()] });
    // THEN
    const m = synthValid(chart);
    const dep = findObject(m, 'Deployment', 'onecmdb');
    const pod = dep.spec.template.spec;
    expect(pod.initContainers).toHaveLength(1);
    expect(pod.initContainers[0].image).toBe('registry.example.com/onecmdb-itil:1.4.0');
    expect(pod.initContainers[0].command).toEqual(['cp', '/app_dir/itil.war', '/app_dir/ROOT.war', '/cdk8s-paas/webapps/']);
    expect(pod.containers[0].image).toBe('tomcat:8.0');
    const webapps = pod.containers[0].volumeMounts.find((v: any) => v.mountPath === '/usr/local/tomcat/webapps');
    expect(webapps).toBeDefined();
    expect(pod.initContainers[0].volumeMounts).toEqual([{ mountPath: '/cdk8s-paas/webapps', name: webapps.name }]);
    expect(pod.volumes.find((v: any) => v.name === webapps.name)).toEqual({ name: webapps.name, emptyDir: {} });
    expect(m.map(o => o.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Service']);
  });

  test('every directory Tomcat writes is an emptyDir under a read-only root, non-root', () => {
    const chart = Testing.chart();
    new TomcatApp(chart, 'app', { artifacts: [artifact(['ROOT.war'])] });
    const pod = findObject(synthValid(chart), 'Deployment').spec.template.spec;
    const tomcat = pod.containers[0];
    const mounts = tomcat.volumeMounts.map((v: any) => v.mountPath).sort();
    expect(mounts).toEqual(['/tmp', ...['conf/Catalina', 'logs', 'temp', 'webapps', 'work'].map(d => `/usr/local/tomcat/${d}`)].sort());
    for (const v of pod.volumes) expect(v.emptyDir).toEqual({});
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 10001, capabilities: { drop: ['ALL'] } });
    }
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('defaults: 2 replicas, never below desired, probes on the first context path, ClusterIP 8080, PDB', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'onecmdb', { artifacts: [artifact()] });
    const m = synthValid(chart);
    const dep = findObject(m, 'Deployment');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const c = dep.spec.template.spec.containers[0];
    for (const p of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      expect(c[p].httpGet).toEqual({ path: '/itil/', port: 8080, scheme: 'HTTP' });
    }
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '768Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
    const svc = findObject(m, 'Service');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    const pdb = findObject(m, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: dep.spec.selector.matchLabels } });
    expect(dep.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'onecmdb',
      'app.kubernetes.io/instance': 'onecmdb',
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/part-of': 'onecmdb',
      'app.kubernetes.io/managed-by': 'cdk8s-paas',
      'app.kubernetes.io/version': '9.0',
    });
    expect(app.contextPaths).toEqual(['/itil', '/']);
    expect(app.deployment).toBeInstanceOf(kplus.Deployment);
    expect(app.service).toBeInstanceOf(kplus.Service);
  });

  test('options: replicas, NodePort, port, surge, health path, env, CATALINA_OPTS/JAVA_OPTS, namespace', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'app', {
      name: 'shop',
      namespace: 'team-a',
      replicas: 3,
      port: 80,
      serviceType: kplus.ServiceType.NODE_PORT,
      maxSurge: kplus.PercentOrAbsolute.percent(50),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(1),
      healthCheckPath: '/health',
      env: { APP_MODE: 'prod' },
      catalinaOpts: '-Xmx512m',
      javaOpts: '-Dfile.encoding=UTF-8',
      resources: { cpuRequest: '250m', memoryLimit: '2Gi' },
      artifacts: [artifact(['ROOT.war'])],
    });
    app.addCatalinaOpts('-XX:+UseG1GC');
    const m = synthValid(chart);
    const dep = findObject(m, 'Deployment', 'shop');
    expect(dep.metadata.namespace).toBe('team-a');
    expect(dep.spec.replicas).toBe(3);
    expect(dep.spec.strategy.rollingUpdate).toEqual({ maxSurge: '50%', maxUnavailable: 1 });
    const c = dep.spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe('/health');
    expect(c.env).toEqual(expect.arrayContaining([
      { name: 'APP_MODE', value: 'prod' },
      { name: 'CATALINA_OPTS', value: '-Xmx512m -XX:+UseG1GC' },
      { name: 'JAVA_OPTS', value: '-Dfile.encoding=UTF-8' },
    ]));
    expect(c.resources.requests.cpu).toBe('250m');
    expect(c.resources.limits.memory).toBe('2048Mi');
    const svc = findObject(m, 'Service', 'shop');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080 });
    expect(findObject(m, 'PodDisruptionBudget', 'shop').metadata.namespace).toBe('team-a');
  });

  test('one init container per artifact, in order; context paths by Tomcat convention', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'app', {
      artifacts: [artifact(['ROOT.war'], 'reg.example.com/a/front:1'), artifact(['api#v1.war'], 'reg.example.com/a/api@sha256:' + 'a'.repeat(64))],
    });
    const pod = findObject(synthValid(chart), 'Deployment').spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['copy-wars-0-front', 'copy-wars-1-api']);
    expect(app.contextPaths).toEqual(['/', '/api/v1']);
    expect(app.healthCheckPath).toBe('/');
  });

  test('end-of-life lines warn at synth, supported lines do not', () => {
    const chart = Testing.chart();
    const old = new TomcatApp(chart, 'old', { runtime: TomcatRuntime.of('7.0'), artifacts: [artifact()] });
    const cur = new TomcatApp(chart, 'cur', { runtime: TomcatRuntime.of('10.1'), artifacts: [artifact(['ROOT.war'])] });
    expect(Warnings.collect(old)).toEqual([expect.stringMatching(/old: runtime: "tomcat:7.0" is end-of-life since 2021-03-31/)]);
    expect(Warnings.collect(cur)).toEqual([]);
    for (const line of ['8.0', '8.5', '10.0']) expect(TomcatRuntime.of(line).endOfLife).toBeDefined();
    for (const line of ['9.0', '10.1', '11.0']) expect(TomcatRuntime.of(line).endOfLife).toBeUndefined();
  });

  test('CATALINA_OPTS and JAVA_OPTS given in env join the assembled JVM options', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'app', { artifacts: [artifact(['ROOT.war'])], env: { CATALINA_OPTS: '-Xmx1g', JAVA_OPTS: '-Dx=1', MODE: 'a' }, catalinaOpts: '-Xms1g' });
    app.addCatalinaOpts('-XX:+UseG1GC');
    const env = findObject(synthValid(chart), 'Deployment').spec.template.spec.containers[0].env;
    expect(env.filter((e: any) => e.name === 'CATALINA_OPTS')).toEqual([{ name: 'CATALINA_OPTS', value: '-Xmx1g -Xms1g -XX:+UseG1GC' }]);
    expect(env.filter((e: any) => e.name === 'JAVA_OPTS')).toEqual([{ name: 'JAVA_OPTS', value: '-Dx=1' }]);
    expect(env).toContainEqual({ name: 'MODE', value: 'a' });
  });

  test('a Tomcat parallel-deployment version is not part of the context path', () => {
    expect(WarArtifact.contextPath('shop##2.war')).toBe('/shop');
    expect(WarArtifact.contextPath('ROOT##001.war')).toBe('/');
  });

  test('a private runtime image with its own CATALINA_HOME and user', () => {
    const chart = Testing.chart();
    new TomcatApp(chart, 'app', {
      runtime: TomcatRuntime.fromImage('registry.example.com/base/tomcat:9-corp', { catalinaHome: '/opt/tomcat', user: 2000, servletApi: ServletApi.JAVAX }),
      artifacts: [artifact(['ROOT.war'])],
    });
    const pod = findObject(synthValid(chart), 'Deployment').spec.template.spec;
    expect(pod.containers[0].volumeMounts.map((v: any) => v.mountPath)).toContain('/opt/tomcat/webapps');
    expect(pod.securityContext.runAsUser).toBe(2000);
  });
});

describe('TomcatApp validation', () => {
  const make = (props: any) => () => new TomcatApp(Testing.chart(), 'app', { artifacts: [artifact()], ...props });
  const expectError = (fn: () => unknown, re: RegExp) => {
    expect(fn).toThrow(ValidationError);
    expect(fn).toThrow(re);
  };

  test('duplicate WAR names across artifacts', () => {
    expectError(make({ artifacts: [artifact(['itil.war', 'ROOT.war']), artifact(['ROOT.war'], 'reg.example.com/x:1')] }),
      /^test\/app: artifacts\[1\]\.wars\[0\]: "ROOT.war" is also provided by artifacts\[0\]; each WAR name must be unique within an app$/);
  });
  test('javax WAR on Tomcat 10+ and jakarta WAR on Tomcat 9', () => {
    expectError(make({ runtime: TomcatRuntime.of('10.1'), artifacts: [WarArtifact.fromImage('reg.example.com/x:1', { wars: ['a.war'], servletApi: ServletApi.JAVAX })] }),
      /artifacts\[0\]\.servletApi: "javax" does not match the runtime "tomcat:10.1", which provides the jakarta servlet API: Tomcat 10 and newer implement Jakarta EE/);
    expectError(make({ runtime: TomcatRuntime.of('9.0'), artifacts: [WarArtifact.fromImage('reg.example.com/x:1', { wars: ['a.war'], servletApi: ServletApi.JAKARTA })] }),
      /artifacts\[0\]\.servletApi: "jakarta" does not match the runtime "tomcat:9.0"/);
  });
  test('bad WAR names', () => {
    expectError(make({ artifacts: [artifact(['itil.jar'])] }), /artifacts\[0\]\.wars\[0\]: "itil.jar" is not a WAR file name/);
    expectError(make({ artifacts: [artifact(['a/b.war'])] }), /artifacts\[0\]\.wars\[0\]: "a\/b.war" is not a WAR file name: it must end in ".war", contain no "\/"/);
  });
  test('no artifacts, no wars', () => {
    expectError(make({ artifacts: [] }), /artifacts: \[\] must name at least one WarArtifact/);
    expectError(make({ artifacts: [artifact([])] }), /artifacts\[0\]\.wars: \[\] must name at least one WAR file/);
  });
  test('image references', () => {
    expectError(make({ artifacts: [artifact(['a.war'], 'Registry/UPPER:1')] }), /artifacts\[0\]\.image: "Registry\/UPPER:1" is not a valid image reference/);
    expectError(make({ artifacts: [artifact(['a.war'], 'reg.example.com/x:bad tag')] }), /artifacts\[0\]\.image: "reg.example.com\/x:bad tag" is not a valid image reference/);
    expectError(make({ runtime: TomcatRuntime.fromImage('tomcat@sha256:123') }), /runtime\.image: "tomcat@sha256:123" is not a valid image reference/);
  });
  test('artifact path', () => {
    expectError(make({ artifacts: [WarArtifact.fromImage('reg.example.com/x:1', { path: 'app_dir', wars: ['a.war'] })] }), /artifacts\[0\]\.path: "app_dir" is not a valid absolute path/);
    expectError(make({ artifacts: [WarArtifact.fromImage('reg.example.com/x:1', { path: '/a/../etc', wars: ['a.war'] })] }), /artifacts\[0\]\.path: "\/a\/..\/etc" is not a valid absolute path/);
  });
  test('names and namespaces', () => {
    expectError(make({ name: 'My_App' }), /^test\/app: name: "My_App" is not a valid DNS-1123 label/);
    expectError(make({ namespace: 'a'.repeat(64) }), /namespace: "a{64}" is not a valid DNS-1123 label/);
    expect(new TomcatApp(Testing.chart(), 'Bad_Id!', { artifacts: [artifact()] }).name).toBe('bad-id');
    expectError(() => new TomcatApp(Testing.chart(), '__', { artifacts: [artifact()] }), /name \(derived from the construct id; set `name`\): "" is not a valid DNS-1123 label/);
  });
  test('ports and replicas', () => {
    expectError(make({ port: 0 }), /port: 0 is not a valid port: an integer from 1 to 65535/);
    expectError(make({ port: 70000 }), /port: 70000 is not a valid port/);
    expectError(make({ replicas: -1 }), /replicas: -1 must be an integer from 0 to 10000/);
    expectError(make({ replicas: 1.5 }), /replicas: 1.5 must be an integer/);
  });
  test('quantities', () => {
    expectError(make({ resources: { cpuRequest: '500x' } }), /resources\.cpuRequest: "500x" is not a Kubernetes quantity/);
    expectError(make({ resources: { memoryLimit: '1GB' } }), /resources\.memoryLimit: "1GB" is not a Kubernetes quantity/);
    expectError(make({ resources: { cpuRequest: '1e2.5' } }), /resources\.cpuRequest: "1e2.5" is not a Kubernetes quantity/);
    expectError(make({ resources: { memoryRequest: '0' } }), /resources\.memoryRequest: "0" must be at least one byte/);
    expectError(make({ resources: { memoryLimit: '-1Gi' } }), /resources\.memoryLimit: "-1Gi" must be at least one byte/);
  });
  test('env names and health path', () => {
    expectError(make({ env: { '1BAD': 'x' } }), /env\.1BAD: "1BAD" is not a valid environment variable name/);
    expectError(make({ healthCheckPath: 'health' }), /healthCheckPath: "health" must be an HTTP path starting with "\/"/);
  });
  test('runtime user, group, CATALINA_HOME and writable directories', () => {
    const withRuntime = (o: any) => make({ runtime: TomcatRuntime.of('9.0', o) });
    expectError(withRuntime({ user: 0 }), /runtime\.user: 0 must be an integer from 1 to 2147483647/);
    expectError(withRuntime({ group: -5 }), /runtime\.group: -5 must be an integer from 1 to 2147483647/);
    expectError(withRuntime({ catalinaHome: 'opt/tomcat' }), /runtime\.catalinaHome: "opt\/tomcat" is not a valid absolute path/);
    expectError(withRuntime({ catalinaHome: '/' }), /runtime\.catalinaHome: "\/" must be the folder Tomcat is installed in, not the root directory/);
    expectError(withRuntime({ writableDirs: ['../etc'] }), /runtime\.writableDirs\[0\]: "..\/etc" must be a relative directory under CATALINA_HOME/);
    expectError(withRuntime({ writableDirs: ['webapps'] }), /runtime\.writableDirs\[0\]: "webapps" must be a relative directory .* other than "webapps"/);
    expectError(withRuntime({ writableDirs: ['logs', 'LOGS'] }), /runtime\.writableDirs\[1\]: "LOGS" maps to the same volume "tomcat-logs" as "logs"; list each directory once/);
  });
  test('disruption budget and rolling update bounds', () => {
    expectError(make({ disruptionBudgetMaxUnavailable: -1 }), /disruptionBudgetMaxUnavailable: -1 must be an integer from 0 to 10000/);
    expectError(make({ maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.percent(0) }),
      /maxSurge\/maxUnavailable: "0\/0" cannot both be zero: a rolling update needs room/);
  });
  test('CPU quantities the container accepts, and requests within limits', () => {
    expectError(make({ resources: { cpuRequest: '1k' } }), /resources\.cpuRequest: "1k" is above the CPU limit "2"/);
    expectError(make({ resources: { cpuLimit: '0.0001' } }), /resources\.cpuLimit: "0.0001" must be at least one millicore/);
    expectError(make({ resources: { cpuRequest: '4' } }), /resources\.cpuRequest: "4" is above the CPU limit "2"; a request must not exceed its limit/);
    expectError(make({ resources: { memoryRequest: '2Gi' } }), /resources\.memoryRequest: "2Gi" is above the memory limit "1Gi"/);
  });
  test('Service-compatible names and valid labels', () => {
    expectError(make({ name: '9lives' }), /name: "9lives" must start with a letter: it names a Service, whose name is a DNS-1035 label/);
    expectError(make({ labels: { team: 'has space' } }), /labels\.team: "has space" is not a valid label value/);
    expectError(make({ labels: { 'bad key!': 'x' } }), /labels\.bad key!: "bad key!" is not a valid label key/);
  });
  test('unknown Tomcat line', () => {
    expectError(() => TomcatRuntime.of('6.0'), /TomcatRuntime.of: line: "6.0" is not a supported Tomcat line; valid lines are 7.0, 8.0, 8.5, 9.0, 10.0, 10.1, 11.0/);
  });
});
