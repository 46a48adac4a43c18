import * as kplus from 'cdk8s-plus-27';
import { stateOf } from './pod-state';
import { cutLabel, dnsLabelFromId } from '../core/names';

/** A DNS-label volume name unique within the pod. */
export function nextVolumeName(pod: kplus.AbstractPod, prefix: string, hint: string): string {
  const s = stateOf(pod);
  const n = s.volumes++;
  const base = cutLabel(`${prefix}-${dnsLabelFromId(hint)}`, 55);
  return `${base}-${n}`;
}

