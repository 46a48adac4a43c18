export { PodSecurityLevel, PodSecurityFinding } from './pod-security';
