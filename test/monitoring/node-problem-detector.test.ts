import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  ContainerRuntime, LogPlugin, NodeProblemDetector, PodSecurity, PodSecurityLevel, SystemLogMonitor, ValidationError, Warnings,
} from '../../src';
import { expectValidManifests, findObject, findObjects, synthValid } from '../fixtures/validate';

const PRIVILEGED = { podSecurity: PodSecurityLevel.PRIVILEGED };
const upstreamConfig = YAML.parse(fs.readFileSync(path.join(__dirname, '../fixtures/node-problem-detector/node-problem-detector-config.yaml'), 'utf-8'));
const upstreamDaemonSet = YAML.parse(fs.readFileSync(path.join(__dirname, '../fixtures/node-problem-detector/node-problem-detector.yaml'), 'utf-8'));

function synthNpd(props = {}) {
  const chart = Testing.chart();
  const npd = new NodeProblemDetector(chart, 'npd', props);
  return { chart, npd, m: synthValid(chart, PRIVILEGED) };
}

describe('NodeProblemDetector', () => {
  test('a privileged DaemonSet with the host mounts upstream uses (strict-valid)', () => {
    const { m } = synthNpd();
    const ds = findObject(m, 'DaemonSet', 'node-problem-detector');
    expect(ds.metadata.namespace).toBe('node-problem-detector');
    const pod = ds.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe('registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19');
    expect(c.securityContext.privileged).toBe(true);
    // every mount of the upstream DaemonSet, read-only, from the same host paths
    const upstreamPod = upstreamDaemonSet.spec.template.spec;
    for (const um of upstreamPod.containers[0].volumeMounts) {
      const mount = c.volumeMounts.find((v: any) => v.mountPath === um.mountPath);
      expect(mount).toMatchObject({ readOnly: true });
      const vol = pod.volumes.find((v: any) => v.name === mount.name);
      const upstreamVol = upstreamPod.volumes.find((v: any) => v.name === um.name);
      if (upstreamVol.hostPath) expect(vol.hostPath.path).toBe(upstreamVol.hostPath.path);
      else expect(vol.configMap.name).toBe('node-problem-detector-config');
    }
    expect(c.env).toContainEqual({ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
    expect(pod.serviceAccountName).toBe('node-problem-detector');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution)
      .toEqual(upstreamPod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution);
    expect(c.args).toEqual([
      '--logtostderr',
      '--config.system-log-monitor=/config/kernel-monitor.json,/config/readonly-monitor.json,/config/container-runtime-monitor.json',
      '--prometheus-address=0.0.0.0',
      '--prometheus-port=20257',
    ]);
  });

  test('it is not Pod Security restricted, says why, and labels its namespace privileged', () => {
    const chart = Testing.chart();
    const npd = new NodeProblemDetector(chart, 'npd');
    expect(PodSecurity.levelOf(npd.daemonSet)).toBe(PodSecurityLevel.PRIVILEGED);
    expect(PodSecurity.reasonsOf(npd)[0]).toMatch(/^privileged: node-problem-detector reads the kernel log/);
    const m = Testing.synth(chart);
    expect(() => expectValidManifests(m, { podSecurity: PodSecurityLevel.BASELINE })).toThrow(/privileged: must be unset or false/);
    const ns = findObject(m, 'Namespace', 'node-problem-detector');
    expect(ns.metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/enforce-version': 'v1.27',
      'pod-security.kubernetes.io/audit': 'privileged',
      'pod-security.kubernetes.io/warn': 'privileged',
    });
  });

  test('its own ClusterRole with the bootstrap role\'s permissions, bound to its ServiceAccount', () => {
    const { m } = synthNpd();
    const role = findObject(m, 'ClusterRole', 'node-problem-detector');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ]);
    const binding = findObject(m, 'ClusterRoleBinding', 'node-problem-detector');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-problem-detector' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'node-problem-detector', namespace: 'node-problem-detector' }]);
    expect(findObject(m, 'ServiceAccount', 'node-problem-detector').metadata.namespace).toBe('node-problem-detector');
  });

  test('the kernel and read-only presets carry the upstream rules', () => {
    const { m } = synthNpd();
    const data = findObject(m, 'ConfigMap', 'node-problem-detector-config').data;
    const kernel = JSON.parse(data['kernel-monitor.json']);
    const upstreamKernel = JSON.parse(upstreamConfig.data['kernel-monitor.json']);
    // upstream's kernel monitor also watches read-only remounts; here that is the readonly monitor's job
    const upstreamKernelRules = upstreamKernel.rules.filter((r: any) => r.condition !== 'ReadonlyFilesystem');
    expect(kernel.rules).toEqual(upstreamKernelRules);
    expect(kernel.conditions).toEqual(upstreamKernel.conditions.filter((c: any) => c.type !== 'ReadonlyFilesystem'));
    expect(kernel).toMatchObject({ plugin: 'kmsg', logPath: '/dev/kmsg', source: 'kernel-monitor', metricsReporting: true });
    const ro = JSON.parse(data['readonly-monitor.json']);
    const upstreamRo = JSON.parse(upstreamConfig.data['readonly-monitor.json']);
    expect({ ...ro, lookback: upstreamRo.lookback }).toEqual(upstreamRo);
  });

  test('the container runtime monitor reads the systemd journal for runtime restarts', () => {
    for (const [rt, reason] of [[ContainerRuntime.CONTAINERD, 'ContainerdStart'], [ContainerRuntime.CRIO, 'CrioStart'], [ContainerRuntime.DOCKER, 'DockerStart']]) {
      const json = SystemLogMonitor.containerRuntime(rt as ContainerRuntime).toJson();
      expect(json).toMatchObject({ plugin: 'journald', pluginConfig: { source: 'systemd' }, logPath: '/var/log/journal' });
      expect(json.rules.map((r: any) => r.reason)).toEqual([reason, 'KubeletStart']);
      const re = new RegExp(json.rules[0].pattern);
      const unit = { ContainerdStart: 'containerd container runtime', CrioStart: 'Container Runtime Interface for OCI (CRI-O)', DockerStart: 'Docker Application Container Engine' }[reason as string];
      expect(re.test(`Starting ${unit}...`)).toBe(true);
    }
  });

  test('monitors are chosen, and custom rules become events (temporary) or node conditions (permanent)', () => {
    const nfs = SystemLogMonitor.custom({ name: 'nfs-monitor' })
      .addEventRule({ reason: 'NFSServerSlow', pattern: 'nfs: server \\S+ not responding, still trying' })
      .addConditionRule({ condition: 'NFSServerUnreachable', reason: 'NFSServerNotResponding', pattern: 'nfs: server \\S+ not responding, timed out' });
    const { m, npd } = synthNpd({ monitors: [SystemLogMonitor.kernel(), nfs] });
    expect(npd.monitorNames).toEqual(['kernel-monitor', 'nfs-monitor']);
    const data = findObject(m, 'ConfigMap', 'node-problem-detector-config').data;
    expect(Object.keys(data).sort()).toEqual(['kernel-monitor.json', 'nfs-monitor.json']);
    expect(JSON.parse(data['nfs-monitor.json'])).toEqual({
      plugin: 'kmsg',
      logPath: '/dev/kmsg',
      lookback: '5m',
      bufferSize: 10,
      source: 'nfs-monitor',
      metricsReporting: true,
      conditions: [{ type: 'NFSServerUnreachable', reason: 'NoNFSServerUnreachable', message: 'NFSServerUnreachable has not been detected' }],
      rules: [
        { type: 'temporary', reason: 'NFSServerSlow', pattern: 'nfs: server \\S+ not responding, still trying' },
        { type: 'permanent', condition: 'NFSServerUnreachable', reason: 'NFSServerNotResponding', pattern: 'nfs: server \\S+ not responding, timed out' },
      ],
    });
    const c = findObject(m, 'DaemonSet').spec.template.spec.containers[0];
    expect(c.args[1]).toBe('--config.system-log-monitor=/config/kernel-monitor.json,/config/nfs-monitor.json');
  });

  test('a journald custom monitor and addMonitor after construction', () => {
    const chart = Testing.chart();
    const npd = new NodeProblemDetector(chart, 'npd', { monitors: [SystemLogMonitor.readonlyFilesystem()] });
    npd.addMonitor(SystemLogMonitor.custom({ name: 'kubelet-monitor', plugin: LogPlugin.JOURNALD, journaldSource: 'kubelet', lookback: '10m' })
      .addEventRule({ reason: 'PLEGUnhealthy', pattern: '.*PLEG is not healthy.*' }));
    const m = synthValid(chart, PRIVILEGED);
    const json = JSON.parse(findObject(m, 'ConfigMap').data['kubelet-monitor.json']);
    expect(json).toMatchObject({ plugin: 'journald', pluginConfig: { source: 'kubelet' }, logPath: '/var/log/journal', lookback: '10m' });
    expect(findObject(m, 'DaemonSet').spec.template.spec.containers[0].args[1])
      .toBe('--config.system-log-monitor=/config/readonly-monitor.json,/config/kubelet-monitor.json');
  });

  test('a changed monitor configuration changes the pod template (rolls the DaemonSet)', () => {
    const hash = (monitors: SystemLogMonitor[]) => findObject(synthNpd({ monitors }).m, 'DaemonSet').spec.template.metadata.annotations['cdk8s-paas.io/config-hash'];
    const a = hash([SystemLogMonitor.kernel()]);
    expect(hash([SystemLogMonitor.kernel()])).toBe(a);
    expect(hash([SystemLogMonitor.kernel().addEventRule({ reason: 'Extra', pattern: 'x' })])).not.toBe(a);
  });

  test('metrics are exposed on a named port and scraped by a PodMonitor that selects the pods', () => {
    const { m } = synthNpd({ metricsPort: 20999, monitorLabels: { release: 'prometheus' }, scrapeInterval: '1m' });
    const ds = findObject(m, 'DaemonSet');
    const c = ds.spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 20999, name: 'metrics' }]);
    expect(c.args).toContain('--prometheus-address=0.0.0.0');
    expect(c.args).toContain('--prometheus-port=20999');
    const pm = findObject(m, 'PodMonitor', 'node-problem-detector');
    expect(pm.metadata).toEqual({ name: 'node-problem-detector', namespace: 'node-problem-detector', labels: { release: 'prometheus' } });
    expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '1m' }]);
    for (const [k, v] of Object.entries(pm.spec.selector.matchLabels)) expect(ds.spec.template.metadata.labels[k]).toBe(v);
  });

  test('image, tag, name and namespace are settable; an existing namespace is not created but warned about', () => {
    const chart = Testing.chart();
    const npd = new NodeProblemDetector(chart, 'npd', {
      image: 'registry.example.com/mirror/node-problem-detector', tag: 'v0.8.20', name: 'npd', namespace: 'kube-system', createNamespace: false,
    });
    const m = synthValid(chart, PRIVILEGED);
    expect(findObject(m, 'DaemonSet', 'npd').spec.template.spec.containers[0].image).toBe('registry.example.com/mirror/node-problem-detector:v0.8.20');
    expect(m.filter(o => o.kind === 'Namespace')).toEqual([]);
    expect(npd.namespaceObject).toBeUndefined();
    expect(findObject(m, 'ClusterRoleBinding', 'npd').subjects[0]).toEqual({ kind: 'ServiceAccount', name: 'npd', namespace: 'kube-system' });
    expect(Warnings.collect(chart).join('\n')).toMatch(/namespace: "kube-system" is not created here: it must carry the label pod-security.kubernetes.io\/enforce=privileged/);
  });

  describe('errors', () => {
    test('an invalid tag or name', () => {
      expect(() => new NodeProblemDetector(Testing.chart(), 'npd', { tag: 'v0.8.19 beta' })).toThrow('test/npd: image: "registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19 beta" is not a valid image reference');
      expect(() => new NodeProblemDetector(Testing.chart(), 'npd', { namespace: 'Kube_System' })).toThrow('test/npd: namespace: "Kube_System" is not a valid DNS-1123 label');
      expect(() => new NodeProblemDetector(Testing.chart(), 'npd', { metricsPort: 0 })).toThrow('test/npd: metricsPort: 0 is not a valid port');
    });

    test('two monitors with one name', () => {
      expect(() => new NodeProblemDetector(Testing.chart(), 'npd', { monitors: [SystemLogMonitor.kernel(), SystemLogMonitor.kernel()] }))
        .toThrow('test/npd: monitors[1].name: "kernel-monitor" is already the name of another monitor');
    });

    test('no monitor at all fails synth', () => {
      const chart = Testing.chart();
      new NodeProblemDetector(chart, 'npd', { monitors: [] });
      expect(() => Testing.synth(chart)).toThrow(/test\/npd: monitors: \[\] must name at least one SystemLogMonitor/);
    });

    test('two detectors of one app with the same name fail synth: their ClusterRole and binding are cluster-scoped', () => {
      const app = Testing.app();
      const a = new Chart(app, 'a');
      new NodeProblemDetector(a, 'npd');
      new NodeProblemDetector(new Chart(app, 'b'), 'npd', { namespace: 'other' });
      const msg = 'a/npd: name: "node-problem-detector" is also the name of the NodeProblemDetector b/npd: its ClusterRole and ClusterRoleBinding are cluster-scoped, '
        + 'so each NodeProblemDetector of an app needs its own name (set the name prop)';
      expect(() => app.synth()).toThrow(msg);
      expect(() => Testing.synth(a)).toThrow(msg);
    });

    test('with their own names, two detectors synthesize distinct cluster-scoped objects', () => {
      const chart = Testing.chart();
      new NodeProblemDetector(chart, 'npd');
      new NodeProblemDetector(chart, 'npd2', { name: 'npd-gpu', namespace: 'npd-gpu', monitors: [SystemLogMonitor.kernel()] });
      const m = synthValid(chart, { podSecurity: PodSecurityLevel.PRIVILEGED });
      expect(findObjects(m, 'ClusterRole').map(o => o.metadata.name)).toEqual(['node-problem-detector', 'npd-gpu']);
      expect(findObjects(m, 'ClusterRoleBinding').map(o => [o.metadata.name, o.roleRef.name, o.subjects[0].namespace]))
        .toEqual([['node-problem-detector', 'node-problem-detector', 'node-problem-detector'], ['npd-gpu', 'npd-gpu', 'npd-gpu']]);
    });

    test('a rule with a bad reason, condition or pattern names the monitor, the rule and the value', () => {
      const m = SystemLogMonitor.custom({ name: 'mine' });
      expect(() => m.addEventRule({ reason: 'not camel', pattern: 'x' })).toThrow('SystemLogMonitor mine: rules[0].reason: "not camel" must be UpperCamelCase');
      expect(() => m.addConditionRule({ condition: 'disk-bad', reason: 'DiskBad', pattern: 'x' })).toThrow('SystemLogMonitor mine: rules[0].condition: "disk-bad" must be UpperCamelCase');
      expect(() => m.addEventRule({ reason: 'Broken', pattern: 'task (\\d+ blocked' })).toThrow('SystemLogMonitor mine: rules[0].pattern: "task (\\d+ blocked" is not a usable Go (RE2) regular expression: Unterminated group');
      expect(() => m.addEventRule({ reason: 'Look', pattern: 'a(?=b)' })).toThrow('rules[0].pattern: "a(?=b)" is not a usable Go (RE2) regular expression: RE2 has no lookahead or lookbehind');
      expect(() => m.addEventRule({ reason: 'Back', pattern: '(a)\\1' })).toThrow('RE2 has no backreferences');
      expect(() => m.addEventRule({ reason: 'Empty', pattern: '' })).toThrow('rules[0].pattern: "" is not a usable Go (RE2) regular expression: it must not be empty');
      // RE2-only syntax is accepted
      expect(() => m.addEventRule({ reason: 'Flags', pattern: '(?i)remounting (?P<fs>\\S+) read-only\\z' })).not.toThrow();
    });

    test('a bad monitor name, lookback or journald source', () => {
      expect(() => SystemLogMonitor.custom({ name: 'My Monitor' })).toThrow('SystemLogMonitor (unnamed): name: "My Monitor" is not a valid monitor name');
      expect(() => SystemLogMonitor.custom({ name: 'm', lookback: '5 minutes' })).toThrow('SystemLogMonitor m: lookback: "5 minutes" is not a Go duration');
      expect(() => SystemLogMonitor.custom({ name: 'm', plugin: LogPlugin.JOURNALD })).toThrow('SystemLogMonitor m: journaldSource: "" must name the SYSLOG_IDENTIFIER');
      expect(() => SystemLogMonitor.custom({ name: 'x' } as any).addEventRule({ reason: 'A', pattern: 'b' })).not.toThrow();
      try {
        SystemLogMonitor.custom({ name: 'Bad' });
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).field).toBe('name');
      }
    });
  });
});
