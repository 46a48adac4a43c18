// Label matching for the reachability model (internal): Calico selectors
// evaluated over label maps, and the labels a selector needs (to make a probe
// pod for a peer that has no workload in the manifests).
import { parseSelector, SelectorNode } from '../core/selector-parser';

/** A label map. */
export type Labels = { readonly [key: string]: string };

const cache = new Map<string, SelectorNode>();

/** Parses (and caches) a Calico selector; an empty or missing selector is `all()`. */
export function selectorOf(text: string | undefined): SelectorNode {
  const key = (text ?? '').trim();
  let node = cache.get(key);
  if (!node) {
    node = key === '' ? { op: 'all' } : parseSelector(key);
    cache.set(key, node);
  }
  return node;
}

/**
 * Evaluates a Calico selector over labels, as libcalico-go's selector
 * evaluator does (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors):
 * `!=` and `not in` also match a missing label; `global()` never matches a
 * namespaced label set (callers handle it).
 */
export function matches(node: SelectorNode, labels: Labels): boolean {
  switch (node.op) {
    case 'all': return true;
    case 'global': return false;
    case 'has': return labels[node.label] !== undefined;
    case '==': return labels[node.label] === node.value;
    case '!=': return labels[node.label] !== node.value;
    case 'in': return labels[node.label] !== undefined && node.values.includes(labels[node.label]);
    case 'not in': return labels[node.label] === undefined || !node.values.includes(labels[node.label]);
    case 'contains': return labels[node.label] !== undefined && labels[node.label].includes(node.value);
    case 'starts with': return labels[node.label] !== undefined && labels[node.label].startsWith(node.value);
    case 'ends with': return labels[node.label] !== undefined && labels[node.label].endsWith(node.value);
    case 'not': return !matches(node.operand, labels);
    case '&&': return node.operands.every(o => matches(o, labels));
    case '||': return node.operands.some(o => matches(o, labels));
  }
}

/**
 * Labels that satisfy a selector, or undefined when none are found by the
 * simple construction (equalities, `in`, `has`, conjunctions, the first
 * satisfiable branch of a disjunction). The result is always checked with
 * `matches`.
 */
export function exemplar(node: SelectorNode): Labels | undefined {
  const out: { [k: string]: string } = {};
  const add = (n: SelectorNode): boolean => {
    switch (n.op) {
      case 'all': return true;
      case '==': out[n.label] = n.value; return true;
      case 'in': out[n.label] = n.values[0]; return n.values.length > 0;
      case 'has': out[n.label] = out[n.label] ?? 'x'; return true;
      case 'contains':
      case 'starts with':
      case 'ends with': out[n.label] = n.value; return true;
      case '&&': return n.operands.every(add);
      case '||': return n.operands.some(o => exemplar(o) !== undefined && add(o));
      default: return true; // negations: satisfied by leaving the label out
    }
  };
  return add(node) && matches(node, out) ? out : undefined;
}

/** The value a selector requires for a label through `==` (top level or in a conjunction), if any. */
export function requiredValue(node: SelectorNode, label: string): string | undefined {
  if (node.op === '==' && node.label === label) return node.value;
  if (node.op === 'in' && node.label === label && node.values.length === 1) return node.values[0];
  if (node.op === '&&') {
    for (const o of node.operands) {
      const v = requiredValue(o, label);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}
