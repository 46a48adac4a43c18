import { Testing } from 'cdk8s';
import { OnecmdbChart } from '../../examples/onecmdb/main';
import { modelOf, pathsOf } from '../fixtures/reach';
import { findObjects, synthValid } from '../fixtures/validate';

test('examples/onecmdb: two apps (Tomcat 8.0 and 7.0) from one artifact image', () => {
  const app = Testing.app();
  const chart = new OnecmdbChart(app, 'onecmdb');
  const m = synthValid(chart);
  const deployments = findObjects(m, 'Deployment');
  expect(deployments.map(d => d.spec.template.spec.containers[0].image).sort()).toEqual(['tomcat:7.0', 'tomcat:8.0']);
  for (const d of deployments) {
    const pod = d.spec.template.spec;
    expect(pod.initContainers).toHaveLength(1);
    expect(pod.initContainers[0].image).toBe('registry.example.com/itil/onecmdb-artifacts:1.4.0');
    expect(pod.initContainers[0].command.slice(1, -1)).toEqual(
      ['ROOT.war', 'itil.war', 'onecmdb-itil-1.4.0.war', 'onecmdb-modeller.war'].map(w => `/app_dir/${w}`));
    const webapps = pod.containers[0].volumeMounts.find((v: any) => v.mountPath === '/usr/local/tomcat/webapps');
    expect(pod.volumes.find((v: any) => v.name === webapps.name).emptyDir).toEqual({});
    expect(d.metadata.namespace).toBe('itil');
  }
  expect(findObjects(m, 'Service')).toHaveLength(2);
  expect(findObjects(m, 'PodDisruptionBudget')).toHaveLength(2);
  // 2 base images + 1 artifact image
  const containers = deployments.flatMap(d => [...d.spec.template.spec.containers, ...d.spec.template.spec.initContainers]);
  const images = new Set(containers.map((c: any) => c.image));
  expect(images.size).toBe(3);
  expect(chart.tomcat8.contextPaths).toEqual(['/', '/itil', '/onecmdb-itil-1.4.0', '/onecmdb-modeller']);
});

test('examples/onecmdb: no NetworkPolicy, so both Tomcats are open to each other and to the outside (reachability model)', () => {
  const model = modelOf(app => new OnecmdbChart(app, 'onecmdb'));
  expect(model.policies).toEqual([]);
  const names = { tomcat7: 'itil/Deployment/onecmdb-tomcat7', tomcat8: 'itil/Deployment/onecmdb-tomcat8', outside: 'net 0.0.0.0/0' };
  expect(pathsOf(model, names, [[8080, 'TCP']])).toEqual([
    'outside -> tomcat7:8080', 'outside -> tomcat8:8080', 'tomcat7 -> outside:8080', 'tomcat7 -> tomcat8:8080',
    'tomcat8 -> outside:8080', 'tomcat8 -> tomcat7:8080',
  ]);
  expect(model.check(names.outside, names.tomcat8, { port: 8080 }).steps).toEqual([
    { direction: 'ingress', policy: 'profile', action: 'Allow', reason: 'no policy selects the endpoint for ingress: allowed', rule: undefined },
  ]);
});
