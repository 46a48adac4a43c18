import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PodSecurity, PodSecurityLevel } from '../../src';

test('restricted by default; opt-ins apply to the subtree, least strict wins', () => {
  const chart = Testing.chart();
  const agent = new Construct(chart, 'agent');
  const child = new Construct(agent, 'ds');
  const other = new Construct(chart, 'web');
  expect(PodSecurity.levelOf(child)).toBe(PodSecurityLevel.RESTRICTED);
  PodSecurity.allow(agent, PodSecurityLevel.BASELINE, 'reads host logs');
  PodSecurity.allow(child, PodSecurityLevel.PRIVILEGED, 'node agent');
  expect(PodSecurity.levelOf(child)).toBe(PodSecurityLevel.PRIVILEGED);
  expect(PodSecurity.levelOf(agent)).toBe(PodSecurityLevel.BASELINE);
  expect(PodSecurity.levelOf(other)).toBe(PodSecurityLevel.RESTRICTED);
  expect(PodSecurity.reasonsOf(child)).toEqual(['baseline: reads host logs', 'privileged: node agent']);
  expect(() => PodSecurity.allow(other, PodSecurityLevel.BASELINE, ' ')).toThrow(/test\/web: reason: " " must say why/);
});
