import * as kplus from 'cdk8s-plus-27';
import { appendContainerArgs, moveEnvVariablesToEnd } from '../core/cdk8s-compat';

// Internal: edits of a container that cdk8s-plus-27 has no API for.

/**
 * Moves environment variables to the end of the container's list, so that
 * `$(VAR)` references in them see the variables added since (Kubernetes
 * expands references to earlier variables only). cdk8s-plus-27 renders
 * variables in insertion order and has no API to reorder them.
 */
export function moveEnvToEnd(container: kplus.Container, names: string[]): void {
  moveEnvVariablesToEnd(container.env, names);
}

/**
 * Appends arguments to a container. cdk8s-plus-27 sets `args` only in the
 * constructor (see core/cdk8s-compat).
 */
export function appendArgs(container: kplus.Container, args: string[]): void {
  appendContainerArgs(container, args);
}
