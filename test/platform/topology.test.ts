import { ApiObject, App, Chart, DependencyGraph, Testing } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { hand, ours } from '../../bench/variants';
import { ValidationError } from '../../src/core/errors';
import { topology } from '../../src/platform/topology';

// topology() must return exactly what cdk8s's DependencyGraph returns (PaasApp.synth
// orders charts and objects with it), only faster.

const cdk8sOrder = (c: IConstruct) => new DependencyGraph(c.node).topology().map(x => x.node.path);
const ours_ = (c: IConstruct) => topology(c).map(x => x.node.path);

describe('topology', () => {
  test('same order as cdk8s for the benchmark apps', () => {
    for (const app of [hand(3, 'unused', { chartPerApp: true }), ours(3, 'unused', false), ours(2, 'unused', true, { chartPerApp: true })]) {
      expect(ours_(app)).toEqual(cdk8sOrder(app));
      for (const chart of app.node.findAll().filter(Chart.isChart)) expect(ours_(chart)).toEqual(cdk8sOrder(chart));
    }
  });

  test('same order as cdk8s for random trees with numeric ids and dependencies', () => {
    const ids = fc.constantFrom('0', '1', '2', '10', '07', 'a', 'b', 'z9', '4294967295');
    const tree = fc.record({
      charts: fc.uniqueArray(ids, { minLength: 1, maxLength: 5 }),
      children: fc.array(fc.tuple(fc.nat(20), ids), { maxLength: 12 }),
      deps: fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { maxLength: 10 }),
    });
    fc.assert(fc.property(tree, t => {
      const app = Testing.app();
      const all: Construct[] = t.charts.map(id => new Chart(app, id));
      for (const [parent, id] of t.children) {
        const scope = all[parent % all.length];
        if (scope.node.tryFindChild(id)) continue;
        all.push(new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap' }));
      }
      for (const [a, b] of t.deps) {
        const [src, dst] = [all[a % all.length], all[b % all.length]];
        if (src === dst) continue;
        // keep the graph acyclic: depend only on constructs created earlier
        if (all.indexOf(dst) < all.indexOf(src)) src.node.addDependency(dst);
      }
      expect(ours_(app)).toEqual(cdk8sOrder(app));
      for (const chart of all.filter(Chart.isChart)) expect(ours_(chart)).toEqual(cdk8sOrder(chart));
    }), { numRuns: 300 });
  });

  test('a dependency cycle fails as in cdk8s', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap' });
    const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap' });
    a.node.addDependency(b);
    b.node.addDependency(a);
    expect(() => cdk8sOrder(chart)).toThrow('Dependency cycle detected: c/a => c/b => c/a');
    expect(() => topology(chart)).toThrow(ValidationError);
    expect(() => topology(chart)).toThrow('c/a: dependencies: "c/a => c/b => c/a" form a cycle: Dependency cycle detected');
  });
});
