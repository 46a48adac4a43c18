// Runs once before the rehearsal run: the failure logs folder holds this run's failures only.
import * as fs from 'fs';
import { DEFAULT_FAILURE_LOGS_DIR } from './harness/pod';

export default function globalSetup(): void {
  fs.rmSync(process.env.REHEARSAL_LOGS_DIR ?? DEFAULT_FAILURE_LOGS_DIR, { recursive: true, force: true });
}
