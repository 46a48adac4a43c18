import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';

/**
 * Throws unless an object in `namespace` can be used by the pod: a pod reads
 * ConfigMaps and Secrets (and pull secrets) of its own namespace only.
 */
export function checkSameNamespace(scope: IConstruct, namespace: string | undefined, pod: kplus.AbstractPod): void {
  const podNamespace = pod.metadata.namespace;
  if (namespace !== podNamespace) {
    throw ValidationError.of(scope, 'namespace', namespace ?? '(none)',
      `differs from the namespace "${podNamespace ?? '(none)'}" of ${pod.node.path}; a pod can use ConfigMaps and Secrets of its own namespace only: give both the same namespace`);
  }
}

