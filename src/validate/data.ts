import * as fs from 'fs';
import * as path from 'path';

// data/ sits at the package root: two levels above both src/validate and lib/validate.
const DATA_DIR = path.join(__dirname, '..', '..', 'data');

const cache = new Map<string, any>();

/** Loads (once per process) a JSON file shipped in the package's data/ folder. */
export function loadData(relPath: string): any {
  let v = cache.get(relPath);
  if (v === undefined) {
    v = JSON.parse(fs.readFileSync(path.join(DATA_DIR, relPath), 'utf-8'));
    cache.set(relPath, v);
  }
  return v;
}

/** Absolute path of a file in the package's data/ folder. */
export function dataPath(relPath: string): string {
  return path.join(DATA_DIR, relPath);
}
