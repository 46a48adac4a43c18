import { loadData } from './data';
import { PodSecurityLevel } from '../core/pod-security-level';

export { PodSecurityLevel };

/** One Pod Security violation. */
export interface PodSecurityFinding {
  /** The check's id in pod-security-admission, e.g. `runAsNonRoot`. */
  readonly check: string;
  /** The field path, e.g. `spec.containers[0].securityContext.allowPrivilegeEscalation`. */
  readonly field: string;
  /** What is wrong and what would be allowed. */
  readonly message: string;
}

const SAFE_SYSCTLS: string[] = loadData('pod-security-standards.json').levels.baseline
  .find((c: any) => c.id === 'sysctls').allowed_v1_27;
const BASELINE_CAPS = new Set<string>(loadData('pod-security-standards.json').levels.baseline
  .find((c: any) => c.id === 'capabilities_baseline').allowed.filter((a: string) => a !== 'undefined/empty'));
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** Where each workload kind keeps its pod template (metadata + spec), relative to the object. */
const POD_PATHS: { [kind: string]: string[] } = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/**
 * The pod template of a workload object (with its path prefix), or undefined
 * for objects that run no pods.
 */
export function podTemplateOf(obj: any): { prefix: string; pod: any } | undefined {
  const p = POD_PATHS[obj?.kind];
  if (!p) return undefined;
  let cur = obj;
  for (const k of p) cur = cur?.[k];
  return cur ? { prefix: p.join('.'), pod: cur } : undefined;
}

/**
 * Checks one object's pod template against a Pod Security Standard level, as
 * the Kubernetes 1.27 pod-security admission controller does.
 */
export function checkPodSecurity(obj: any, level: PodSecurityLevel): PodSecurityFinding[] {
  if (level === PodSecurityLevel.PRIVILEGED) return [];
  const t = podTemplateOf(obj);
  if (!t) return [];
  const out: PodSecurityFinding[] = [];
  const pre = t.prefix ? `${t.prefix}.` : '';
  const spec = t.pod.spec ?? {};
  const psc = spec.securityContext ?? {};
  const containers: Array<{ path: string; c: any }> = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    (spec[key] ?? []).forEach((c: any, i: number) => containers.push({ path: `${pre}spec.${key}[${i}]`, c }));
  }
  const add = (check: string, field: string, message: string) => out.push({ check, field, message });
  const restricted = level === PodSecurityLevel.RESTRICTED;

  // ---- baseline
  if (psc.windowsOptions?.hostProcess) add('windowsHostProcess', `${pre}spec.securityContext.windowsOptions.hostProcess`, 'must be unset or false');
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[ns] === true) add('hostNamespaces', `${pre}spec.${ns}`, 'must be unset or false');
  }
  for (const { path, c } of containers) {
    const sc = c.securityContext ?? {};
    if (sc.windowsOptions?.hostProcess) add('windowsHostProcess', `${path}.securityContext.windowsOptions.hostProcess`, 'must be unset or false');
    if (sc.privileged === true) add('privileged', `${path}.securityContext.privileged`, 'must be unset or false');
    for (const cap of sc.capabilities?.add ?? []) {
      if (restricted ? cap !== 'NET_BIND_SERVICE' : !BASELINE_CAPS.has(cap)) {
        add(restricted ? 'capabilities_restricted' : 'capabilities_baseline', `${path}.securityContext.capabilities.add`,
          restricted ? `adds "${cap}": only NET_BIND_SERVICE may be added` : `adds "${cap}", which is not in the baseline list ${[...BASELINE_CAPS].join(', ')}`);
      }
    }
    (c.ports ?? []).forEach((p: any, j: number) => {
      if (p.hostPort) add('hostPorts', `${path}.ports[${j}].hostPort`, `is ${p.hostPort}: must be unset or 0`);
    });
    checkSeLinux(sc.seLinuxOptions, `${path}.securityContext.seLinuxOptions`, add);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') add('procMount', `${path}.securityContext.procMount`, `is "${sc.procMount}": must be unset or Default`);
    if (sc.seccompProfile?.type === 'Unconfined') add(restricted ? 'seccompProfile_restricted' : 'seccompProfile_baseline', `${path}.securityContext.seccompProfile.type`, 'must not be Unconfined');
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      for (const h of ['httpGet', 'tcpSocket']) {
        if (c[probe]?.[h]?.host) add('hostProbesAndHostLifecycle', `${path}.${probe}.${h}.host`, 'must be unset or empty');
      }
    }
  }
  checkSeLinux(psc.seLinuxOptions, `${pre}spec.securityContext.seLinuxOptions`, add);
  if (psc.seccompProfile?.type === 'Unconfined') add(restricted ? 'seccompProfile_restricted' : 'seccompProfile_baseline', `${pre}spec.securityContext.seccompProfile.type`, 'must not be Unconfined');
  (psc.sysctls ?? []).forEach((s: any, i: number) => {
    if (!SAFE_SYSCTLS.includes(s.name)) add('sysctls', `${pre}spec.securityContext.sysctls[${i}].name`, `"${s.name}" is not a safe sysctl (${SAFE_SYSCTLS.join(', ')})`);
  });
  for (const [k, v] of Object.entries<string>(t.pod.metadata?.annotations ?? {})) {
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v && v !== 'runtime/default' && !v.startsWith('localhost/')) {
      add('appArmorProfile', `${pre}metadata.annotations['${k}']`, `is "${v}": must be runtime/default or localhost/*`);
    }
  }
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    const type = Object.keys(v).find(k => k !== 'name') ?? 'unknown';
    if (restricted) {
      if (!RESTRICTED_VOLUMES.has(type)) add('restrictedVolumes', `${pre}spec.volumes[${i}].${type}`, `volume "${v.name}" is of type ${type}: restricted allows only ${[...RESTRICTED_VOLUMES].join(', ')}`);
    } else if (type === 'hostPath') {
      add('hostPathVolumes', `${pre}spec.volumes[${i}].hostPath`, `volume "${v.name}" is a hostPath: baseline forbids hostPath volumes`);
    }
  });
  if (!restricted) return out;

  // ---- restricted
  const windows = spec.os?.name === 'windows';
  for (const { path, c } of containers) {
    const sc = c.securityContext ?? {};
    if (!windows && sc.allowPrivilegeEscalation !== false) add('allowPrivilegeEscalation', `${path}.securityContext.allowPrivilegeEscalation`, 'must be set to false');
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true)) {
      add('runAsNonRoot', `${path}.securityContext.runAsNonRoot`, 'must be true (here or in the pod securityContext)');
    }
    if (sc.runAsUser === 0) add('runAsUser', `${path}.securityContext.runAsUser`, 'must not be 0');
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (!windows && seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost' && sc.seccompProfile?.type !== 'Unconfined') {
      add('seccompProfile_restricted', `${path}.securityContext.seccompProfile.type`, 'must be RuntimeDefault or Localhost (here or in the pod securityContext)');
    }
    if (!windows && !(sc.capabilities?.drop ?? []).includes('ALL')) {
      add('capabilities_restricted', `${path}.securityContext.capabilities.drop`, 'must include "ALL"');
    }
  }
  if (psc.runAsUser === 0) add('runAsUser', `${pre}spec.securityContext.runAsUser`, 'must not be 0');
  if (psc.runAsNonRoot === false) add('runAsNonRoot', `${pre}spec.securityContext.runAsNonRoot`, 'must not be false');
  return out;
}

function checkSeLinux(o: any, path: string, add: (c: string, f: string, m: string) => void): void {
  if (!o) return;
  if (o.type && !['container_t', 'container_init_t', 'container_kvm_t'].includes(o.type)) add('seLinuxOptions', `${path}.type`, `is "${o.type}": must be container_t, container_init_t or container_kvm_t`);
  if (o.user) add('seLinuxOptions', `${path}.user`, 'must be unset');
  if (o.role) add('seLinuxOptions', `${path}.role`, 'must be unset');
}
