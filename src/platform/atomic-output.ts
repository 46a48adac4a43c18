import * as fs from 'fs';
import * as path from 'path';

/**
 * Runs `write(staging)` against a fresh staging folder beside `outdir`, and only
 * when it succeeds moves the produced files into `outdir` (removing the
 * `*.k8s.yaml` files of the previous synth that this one no longer produces).
 * When `write` throws, `outdir` is left exactly as it was.
 */
export function writeAtomically(outdir: string, write: (staging: string) => void): void {
  const target = path.resolve(outdir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.staging-`));
  try {
    write(staging);
    fs.mkdirSync(target, { recursive: true });
    const produced = new Set(listFiles(staging));
    for (const old of listFiles(target)) {
      if (old.endsWith('.k8s.yaml') && !produced.has(old)) {
        fs.rmSync(path.join(target, old));
      }
    }
    for (const rel of produced) {
      const dest = path.join(target, rel);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.renameSync(path.join(staging, rel), dest);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? path.join(prefix, e.name) : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out;
}
