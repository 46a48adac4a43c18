// Fenced code blocks of a Markdown file, with the HTML comment marker right above
// each (`<!-- file: main.ts -->`, `<!-- run: consumer -->`, `<!-- snippet: fragment … -->`).
// The README's consumer quickstart is run from these blocks by scripts/consumer-e2e.sh,
// and every ```ts block of README.md and docs/*.md is compiled and run by
// test/docs/snippets.test.ts, so what the docs show is what the tests run.
//
// CLI: ts-node scripts/markdown-blocks.ts FILE.md 'file: main.ts'
//      prints the code of the one block marked `<!-- file: main.ts -->` (exit 1 unless exactly one).
import * as fs from 'fs';

/** One fenced code block. */
export interface MarkdownBlock {
  /** The info string's first word, e.g. `ts`, `sh`, `yaml` (empty when none). */
  readonly lang: string;
  /** The block's text, ending with a newline. */
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The text of an HTML comment on the line(s) right above the fence (blank lines allowed), trimmed. */
  readonly marker?: string;
}

/** Every fenced (```) code block of a Markdown text, in order. */
export function markdownBlocks(text: string): MarkdownBlock[] {
  const lines = text.split('\n');
  const blocks: MarkdownBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith(fence); i++) body.push(lines[i]);
    let j = start - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    const comment = j >= 0 ? /^<!--\s*(.*?)\s*-->\s*$/.exec(lines[j]) : null;
    blocks.push({ lang: open[2], code: body.join('\n') + '\n', line: start + 1, marker: comment ? comment[1] : undefined });
  }
  return blocks;
}

/** The one block whose marker is `marker`; throws when there is none or more than one. */
export function markedBlock(text: string, marker: string): MarkdownBlock {
  const found = markdownBlocks(text).filter(b => b.marker === marker);
  if (found.length !== 1) throw new Error(`expected exactly one code block marked <!-- ${marker} -->, found ${found.length}`);
  return found[0];
}

if (require.main === module) {
  const [file, marker] = process.argv.slice(2);
  if (!file || !marker) {
    process.stderr.write('usage: markdown-blocks.ts FILE.md MARKER   (prints the block marked <!-- MARKER -->)\n');
    process.exit(2);
  }
  try {
    process.stdout.write(markedBlock(fs.readFileSync(file, 'utf-8'), marker).code);
  } catch (e: any) {
    process.stderr.write(`${file}: ${e.message}\n`);
    process.exit(1);
  }
}
