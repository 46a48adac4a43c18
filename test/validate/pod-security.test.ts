import { checkPodSecurity, PodSecurityLevel } from '../../src/validate/pod-security';

const restrictedContainer = {
  name: 'c',
  image: 'x',
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
};
const deployment = (spec: any) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec } } });

describe('Pod Security Standards (1.27)', () => {
  test('the minimal restricted container passes restricted', () => {
    expect(checkPodSecurity(deployment({ containers: [restrictedContainer] }), PodSecurityLevel.RESTRICTED)).toEqual([]);
  });

  test('a bare container fails restricted on every restricted check', () => {
    const ids = checkPodSecurity(deployment({ containers: [{ name: 'c', image: 'x' }] }), PodSecurityLevel.RESTRICTED).map(f => f.check);
    expect(ids.sort()).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
  });

  test('a privileged container fails baseline with its field path', () => {
    const f = checkPodSecurity(deployment({ containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] }), PodSecurityLevel.BASELINE);
    expect(f).toContainEqual({ check: 'privileged', field: 'spec.template.spec.containers[0].securityContext.privileged', message: 'must be unset or false' });
  });

  test('hostPath fails baseline and restricted, passes privileged', () => {
    const d = deployment({ containers: [restrictedContainer], volumes: [{ name: 'h', hostPath: { path: '/var/log' } }] });
    expect(checkPodSecurity(d, PodSecurityLevel.BASELINE).map(f => f.check)).toEqual(['hostPathVolumes']);
    expect(checkPodSecurity(d, PodSecurityLevel.RESTRICTED).map(f => f.check)).toEqual(['restrictedVolumes']);
    expect(checkPodSecurity(d, PodSecurityLevel.PRIVILEGED)).toEqual([]);
  });

  test('host namespaces, host ports and unsafe sysctls fail baseline', () => {
    const d = deployment({
      hostNetwork: true,
      securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
      containers: [{ ...restrictedContainer, ports: [{ containerPort: 80, hostPort: 80 }] }],
    });
    expect(checkPodSecurity(d, PodSecurityLevel.BASELINE).map(f => f.check).sort()).toEqual(['hostNamespaces', 'hostPorts', 'sysctls']);
  });

  test('runAsUser 0 and an added capability fail restricted', () => {
    const d = deployment({ containers: [{ ...restrictedContainer, securityContext: { ...restrictedContainer.securityContext, runAsUser: 0, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } }] });
    expect(checkPodSecurity(d, PodSecurityLevel.RESTRICTED).map(f => f.check).sort()).toEqual(['capabilities_restricted', 'runAsUser']);
  });

  test('objects without pods are ignored', () => {
    expect(checkPodSecurity({ kind: 'Service' }, PodSecurityLevel.RESTRICTED)).toEqual([]);
  });
});
