import * as kplus from 'cdk8s-plus-27';
import { stateOf } from './pod-state';

/** A DNS-label volume name unique within the pod. */
export function nextVolumeName(pod: kplus.AbstractPod, prefix: string, hint: string): string {
  const s = stateOf(pod);
  const n = s.volumes++;
  const base = `${prefix}-${hint.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 55).replace(/-+$/, '');
  return `${base}-${n}`;
}

