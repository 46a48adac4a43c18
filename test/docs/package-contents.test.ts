// The installed package's README and guides link to each other relatively: every such link
// must point to a file the tarball contains (npm pack --dry-run lists exactly what ships).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Relative link targets of a Markdown file (no scheme, no pure #anchors), resolved against the repository root. */
function relativeLinks(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf-8');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1])
    .filter(l => !/^[a-z][a-z0-9+.-]*:/i.test(l) && !l.startsWith('#'))
    .map(l => l.replace(/#.*$/, ''));
  return [...new Set(links.map(l => path.posix.normalize(path.posix.join(path.posix.dirname(file), l))))];
}

test('every file the README and the shipped guides link relatively is in the tarball', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  const packed = new Set<string>(JSON.parse(out)[0].files.map((f: { path: string }) => f.path));
  expect(packed.has('README.md')).toBe(true);
  const docs = [...packed].filter(p => /^docs\/[^/]+\.md$/.test(p));
  // every guide in the repository ships
  expect(docs.sort()).toEqual(fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).map(f => `docs/${f}`).sort());
  const links = ['README.md', ...docs].flatMap(f => relativeLinks(f).map(l => ({ from: f, to: l })));
  expect(links.map(l => l.to)).toEqual(expect.arrayContaining(['docs/config.md', 'docs/tenancy.md', 'API.md']));
  expect(links.filter(l => !packed.has(l.to))).toEqual([]);
  // docs stay small: the guides are text, not assets
  const size = docs.reduce((n, p) => n + fs.statSync(path.join(ROOT, p)).size, 0);
  expect(size).toBeLessThan(200 * 1024);
});
