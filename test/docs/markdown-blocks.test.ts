import { markdownBlocks, markedBlock } from '../../scripts/markdown-blocks';

const TEXT = [
  '# title', // 1
  '<!-- file: main.ts -->', // 2
  '', // 3
  '```ts', // 4
  "import { PaasApp } from 'cdk8s-paas';", // 5
  '```', // 6
  'text', // 7
  '````sh', // 8
  'echo "```"', // 9
  '````', // 10
  '<!-- file: main.ts -->', // 11
  'not directly above', // 12
  '```', // 13
  'x', // 14
  '```', // 15
].join('\n');

test('blocks with their language, line, text and the marker right above (blank lines allowed)', () => {
  expect(markdownBlocks(TEXT)).toEqual([
    { lang: 'ts', line: 4, code: "import { PaasApp } from 'cdk8s-paas';\n", marker: 'file: main.ts' },
    { lang: 'sh', line: 8, code: 'echo "```"\n', marker: undefined },
    { lang: '', line: 13, code: 'x\n', marker: undefined },
  ]);
});

test('markedBlock: exactly one block per marker', () => {
  expect(markedBlock(TEXT, 'file: main.ts').line).toBe(4);
  expect(() => markedBlock(TEXT, 'file: cdk8s.yaml')).toThrow('expected exactly one code block marked <!-- file: cdk8s.yaml -->, found 0');
  expect(() => markedBlock(`${TEXT}\n<!-- file: main.ts -->\n\`\`\`ts\ny\n\`\`\`\n`, 'file: main.ts')).toThrow(/found 2$/);
});
