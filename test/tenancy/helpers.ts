import { WarArtifact } from '../../src';

/** A one-WAR artifact for the tenancy tests. */
export const war = WarArtifact.fromImage('registry.example.com/shop/artifacts:1.0.0', { path: '/app_dir', wars: ['ROOT.war'] });

/** The message of the error `fn` throws (fails when it throws none). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e: any) {
    return e.message;
  }
  throw new Error('expected an error');
}
