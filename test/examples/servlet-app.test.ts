import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { GREETER_ARTIFACT_IMAGE, ServletAppChart } from '../../examples/servlet-app/main';
import { ServletApi, TomcatRuntime } from '../../src';
import { findObject, synthValid } from '../fixtures/validate';

describe('examples/servlet-app', () => {
  let m: any[];
  beforeAll(() => {
    process.env.GREETER_API_TOKEN = 'example-greeter-token';
    process.env.CDK8S_PAAS_SECRET_HASH_KEY = 'example-test-key-0123456789abcdef0123456789';
    m = synthValid(new ServletAppChart(Testing.app(), 'servlet-app'));
  });

  test('the greeter WAR on Tomcat 10.1, probed on its health servlet', () => {
    const pod = findObject(m, 'Deployment', 'greeter').spec.template.spec;
    expect(pod.containers[0].image).toBe('tomcat:10.1');
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/greeter/health');
    expect(pod.initContainers[0]).toMatchObject({ image: GREETER_ARTIFACT_IMAGE, command: ['cp', '/app_dir/greeter.war', '/cdk8s-paas/webapps/'] });
  });

  test('GREETING from a ConfigMap, a subPath properties file, the token as a 0400 Secret file', () => {
    const dep = findObject(m, 'Deployment', 'greeter');
    const pod = dep.spec.template.spec;
    const tomcat = pod.containers[0];
    const env = Object.fromEntries(tomcat.env.map((e: any) => [e.name, e]));
    expect(env.GREETING.valueFrom).toEqual({ configMapKeyRef: { name: 'greeter-settings', key: 'greeting' } });
    expect(env.GREETER_CONFIG_FILE.value).toBe('/etc/greeter/greeter.properties');
    expect(env.GREETER_TOKEN_FILE.value).toBe('/etc/greeter/secrets/api-token');
    const volume = (mountPath: string) => {
      const mount = tomcat.volumeMounts.find((v: any) => v.mountPath === mountPath);
      return { mount, volume: pod.volumes.find((v: any) => v.name === mount.name) };
    };
    const conf = volume('/etc/greeter/greeter.properties');
    expect(conf.mount).toMatchObject({ subPath: 'greeter.properties', readOnly: true });
    expect(conf.volume.configMap.name).toBe('greeter-conf');
    expect(findObject(m, 'ConfigMap', 'greeter-conf').data['greeter.properties'])
      .toBe(fs.readFileSync(path.join(__dirname, '../../examples/servlet-app/conf/greeter.properties'), 'utf8'));
    const token = volume('/etc/greeter/secrets');
    expect(token.volume.secret).toMatchObject({ secretName: 'greeter-api-token', defaultMode: 0o400 });
    expect(findObject(m, 'Secret', 'greeter-api-token').stringData).toEqual({ 'api-token': 'example-greeter-token' });
    expect(dep.spec.template.metadata.annotations['cdk8s-paas.io/config-hash']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('a javax build is refused on Tomcat 10.1 and accepted on Tomcat 9.0', () => {
    expect(() => new ServletAppChart(Testing.app(), 'servlet-app', { servletApi: ServletApi.JAVAX }))
      .toThrow('servlet-app/greeter: artifacts[0].servletApi: "javax" does not match the runtime "tomcat:10.1"');
    const on9 = synthValid(new ServletAppChart(Testing.app(), 'servlet-app', { servletApi: ServletApi.JAVAX, runtime: TomcatRuntime.of('9.0') }));
    expect(findObject(on9, 'Deployment', 'greeter').spec.template.spec.containers[0].image).toBe('tomcat:9.0');
  });
});
