import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';

// Internal: cdk8s's `new DependencyGraph(node).topology()` with the same
// result and order, keyed by construct instead of by construct path.
// cdk8s computes the path of every construct (a string built from all its
// scopes) to key its vertices; for large apps that is most of the cost, and
// `App.synth()` builds such a graph for the app and again for every chart.

class Vertex {
  public readonly children = new Set<Vertex>();
  public inbound = 0;

  public constructor(public readonly value?: IConstruct) {}

  public addChild(dep: Vertex): void {
    const cycle = dep.findRoute(this);
    if (cycle.length !== 0) {
      cycle.push(dep);
      const paths = cycle.filter(d => d.value).map(d => d.value!.node.path);
      // cdk8s's wording, in the library's error type
      throw ValidationError.unscoped(paths[0] ?? '', 'dependencies', paths.join(' => '),
        'form a cycle: Dependency cycle detected; remove one of the addDependency() calls');
    }
    if (!this.children.has(dep)) dep.inbound++;
    this.children.add(dep);
  }

  /** As cdk8s's DependencyVertex.findRoute, quirks included. */
  private findRoute(dst: Vertex): Vertex[] {
    const route: Vertex[] = [];
    const visit = (n: Vertex): boolean => {
      route.push(n);
      let found = false;
      for (const c of n.children) {
        if (c === dst) {
          route.push(c);
          return true;
        }
        found = visit(c);
      }
      if (!found) route.pop();
      return found;
    };
    visit(this);
    return route;
  }
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * The constructs under `root` (itself included) in dependency order, exactly
 * as `new DependencyGraph(root.node).topology()` returns them.
 */
export function topology(root: IConstruct): IConstruct[] {
  const all = root.node.findAll();
  const vertices = new Map<IConstruct, Vertex>();
  for (const c of all) vertices.set(c, new Vertex(c));
  for (const c of all) {
    for (const dep of c.node.dependencies) {
      const target = vertices.get(dep);
      if (target) vertices.get(c)!.addChild(target);
    }
  }
  // cdk8s adopts the orphans in the order of `Object.values()` of an object
  // keyed by path: keys that are array indices first (ascending), then the
  // others in insertion order. Only a child of the app root has a path
  // without "/", so only those can be array indices.
  const indexed: Vertex[] = [];
  const rest: Vertex[] = [];
  for (const c of all) {
    const v = vertices.get(c)!;
    const isIndex = c.node.scope !== undefined && c.node.scope.node.scope === undefined
      && ARRAY_INDEX.test(c.node.id) && Number(c.node.id) < 4294967295;
    (isIndex ? indexed : rest).push(v);
  }
  indexed.sort((a, b) => Number(a.value!.node.id) - Number(b.value!.node.id));
  const foster = new Vertex();
  for (const v of [...indexed, ...rest]) {
    if (v.inbound === 0) foster.addChild(v);
  }

  const found = new Set<Vertex>();
  const out: Vertex[] = [];
  const visit = (n: Vertex) => {
    for (const c of n.children) visit(c);
    if (!found.has(n)) {
      out.push(n);
      found.add(n);
    }
  };
  visit(foster);
  return out.filter(v => v.value).map(v => v.value!);
}
