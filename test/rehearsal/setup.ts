// Runs in every rehearsal test file: remove the image stand-ins' layouts afterwards.
import { removeLayoutCache } from './harness';

afterAll(() => removeLayoutCache());
