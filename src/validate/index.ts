export { PodSecurityLevel, PodSecurityFinding } from './pod-security';
export { ApiRemoval, ApiRemovals } from './api-removals';
export { FindingSeverity, ManifestCheck, ManifestFinding, ManifestValidator, ObjectValidationOptions } from './manifest-validator';
