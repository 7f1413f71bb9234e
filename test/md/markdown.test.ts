import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownDom } from './html.js';
import { diagramAlt, diagramFileName, escapeMarkdownText, findBlocks, isDiagramFile, markdownHref, markerKeys, updateMarkdown, type BlockUpdate, type MdBlock } from '../../src/md/markdown.js';

/** A link update for every block, keyed by its content, as the CLI would make it. */
function link(block: MdBlock): BlockUpdate {
  const key = diagramFileName({ format: 'svg', style: 'keras3', kind: block.kind, text: block.text });
  return { action: 'link', key, alt: diagramAlt(block.kind), href: `img/${key}` };
}

function linkAll(text: string, options = {}): string {
  const blocks = findBlocks(text, options);
  return updateMarkdown(text, blocks, blocks.map(link));
}

function removeAll(text: string, options = {}): string {
  const blocks = findBlocks(text, options);
  return updateMarkdown(text, blocks, blocks.map(() => ({ action: 'remove' as const })));
}

describe('findBlocks', () => {
  it('finds densegraph and python densegraph blocks with their lines and text', () => {
    const md = ['# T', '', '```densegraph', 'layers:', '  - Dense: 8', '```', 'text', '~~~~python densegraph', 'Dense(1, input_dim=3)', '~~~~', ''].join('\n');
    const blocks = findBlocks(md);
    expect(blocks.map((b) => [b.kind, b.optedIn, b.line, b.contentLine, b.text])).toEqual([
      ['spec', true, 3, 4, 'layers:\n  - Dense: 8\n'],
      ['python', true, 8, 9, 'Dense(1, input_dim=3)\n'],
    ]);
  });

  it('reads yaml densegraph and json densegraph as spec blocks, plain python only with python: true', () => {
    const md = '```yaml densegraph\na: 1\n```\n```json densegraph\n{}\n```\n```python\nx = 1\n```\n```yaml\nb: 2\n```\n```densegraphx\n```\n';
    expect(findBlocks(md).map((b) => b.kind)).toEqual(['spec', 'spec']);
    const withPython = findBlocks(md, { python: true });
    expect(withPython.map((b) => [b.kind, b.optedIn])).toEqual([['spec', true], ['spec', true], ['python', false]]);
  });

  it('follows CommonMark fences: indentation up to three spaces, closing fence of the same character and at least as long', () => {
    const md = [
      '   ```densegraph', '   a: 1', '     b: 2', ' c: 3', '   ```', // indented three: content loses up to three spaces
      '    ```densegraph', '    not a fence: indented code', '    ```',
      '````densegraph', '```', 'still inside', '~~~~', '`````', // closes only with ```` or longer of backticks
      '~~~densegraph', 'x', '```', '~~~',
    ].join('\n');
    const blocks = findBlocks(md);
    expect(blocks.map((b) => [b.line, b.text, b.indent])).toEqual([
      [1, 'a: 1\n  b: 2\nc: 3\n', 3],
      [9, '```\nstill inside\n~~~~\n', 0],
      [14, 'x\n```\n', 0],
    ]);
  });

  it('does not look inside other fenced blocks, and a backtick info string with a backtick is no fence', () => {
    const md = '````markdown\n```densegraph\na: 1\n```\n````\n``` densegraph ` x\n```\n';
    expect(findBlocks(md)).toEqual([]);
  });

  it('reads a block on the first line after a byte order mark', () => {
    const md = '\uFEFF```densegraph\na: 1\n```\n';
    expect(findBlocks(md).map((b) => b.line)).toEqual([1]);
    expect(removeAll(linkAll(md))).toBe(md);
  });

  it('marks a block the document ends inside as not closed, and leaves it alone', () => {
    const md = 'a\n```densegraph\nlayers: []\n';
    const [block] = findBlocks(md);
    expect(block?.closed).toBe(false);
    expect(linkAll(md)).toBe(md);
  });

  it('finds the markers that follow a block, with or without one blank line', () => {
    const region = '<!-- densegraph:begin k.svg -->\n![x](k.svg)\n<!-- densegraph:end -->';
    expect(findBlocks(`\`\`\`densegraph\na\n\`\`\`\n${region}\n`)[0]?.marker?.key).toBe('k.svg');
    expect(findBlocks(`\`\`\`densegraph\na\n\`\`\`\n\n${region}\n`)[0]?.marker?.line).toBe(5);
    expect(findBlocks(`\`\`\`densegraph\na\n\`\`\`\n\n\n${region}\n`)[0]?.marker).toBeUndefined();
    expect(findBlocks('```densegraph\na\n```\n<!-- densegraph:begin k.svg -->\n![x](k.svg)\n')[0]?.markerError).toMatch(/line 4 has no <!-- densegraph:end -->/);
  });
});

describe('updateMarkdown', () => {
  const md = 'Intro\n\n```densegraph\nlayers: []\n```\nAfter\n';

  it('inserts the link after the block, then replaces it in place without duplicating', () => {
    const once = linkAll(md);
    const key = diagramFileName({ format: 'svg', style: 'keras3', kind: 'spec', text: 'layers: []\n' });
    expect(once).toBe(`Intro\n\n\`\`\`densegraph\nlayers: []\n\`\`\`\n\n<!-- densegraph:begin ${key} -->\n![Diagram of the model 'spec'](img/${key})\n<!-- densegraph:end -->\nAfter\n`);
    expect(linkAll(once)).toBe(once);
    // The block changes: its link is replaced, not added.
    const edited = once.replace('layers: []', 'layers: [x]');
    const again = linkAll(edited);
    expect(again.match(/densegraph:begin/g)).toHaveLength(1);
    expect(again).not.toContain(key);
    expect(removeAll(again)).toBe(md.replace('layers: []', 'layers: [x]'));
  });

  it('keeps CRLF line endings and a file without a final newline', () => {
    const crlf = md.replace(/\n/g, '\r\n');
    const out = linkAll(crlf);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(removeAll(out)).toBe(crlf);
    const noEol = '```densegraph\nlayers: []\n```';
    const linked = linkAll(noEol);
    expect(linked.startsWith(`${noEol}\n\n<!-- densegraph:begin `)).toBe(true);
    expect(linkAll(linked)).toBe(linked);
    expect(removeAll(linked)).toBe(noEol);
  });

  it("'keep' leaves the old link, 'remove' deletes it", () => {
    const once = linkAll(md);
    const blocks = findBlocks(once);
    expect(updateMarkdown(once, blocks, [{ action: 'keep' }])).toBe(once);
    expect(updateMarkdown(once, blocks, [{ action: 'remove' }])).toBe(md);
    expect(markerKeys(once)).toEqual([blocks[0]!.marker!.key]);
  });
});

describe('escaping and names', () => {
  const hostile = ['<script>alert(1)</script>', '](javascript:x)', '"];', 'a\\]b', 'x\ny\r\n![i](http://e/x.png)', '<img src=x onerror=alert(1)>', '&lt;b&gt; *em* _u_ `code`'];

  it.each(hostile)('alt text %j renders as one image whose alt is the name, and nothing else', (name) => {
    const alt = diagramAlt(name);
    const doc = markdownDom(`![${escapeMarkdownText(alt)}](img/d.svg)\n`);
    expect(doc.querySelectorAll('img')).toHaveLength(1);
    expect(doc.querySelectorAll('script, a, em, strong, code')).toHaveLength(0);
    expect(doc.querySelector('img')!.getAttribute('src')).toBe('img/d.svg');
    expect(doc.querySelector('img')!.getAttribute('alt')).toBe(alt.replace(/[\r\n]+/g, ' '));
  });

  it('the escaped alt text never breaks the marker lines', () => {
    const text = escapeMarkdownText(diagramAlt('a\r\nb\u2028c\u0000-->'));
    expect(text).not.toMatch(/[\r\n\u2028\u0000]/);
  });

  it('file names: content-derived, sanitised model name, matching the prune pattern', () => {
    const base = { format: 'svg' as const, style: 'keras3', kind: 'spec' as const, text: 'layers: []\n' };
    const name = diagramFileName({ ...base, modelName: '<script>../../Evil Model' });
    expect(name).toMatch(/^densegraph-script-evil-model-[0-9a-f]{12}\.svg$/);
    expect(isDiagramFile(name)).toBe(true);
    expect(diagramFileName({ ...base, text: 'layers: []\r\n' })).toBe(diagramFileName(base));
    expect(diagramFileName({ ...base, style: 'keras2' })).not.toBe(diagramFileName(base));
    expect(diagramFileName({ ...base, format: 'png' })).toMatch(/\.png$/);
    expect(diagramFileName({ ...base, modelName: '***' })).toMatch(/^densegraph-[0-9a-f]{12}\.svg$/);
    for (const other of ['densegraph-logo.svg', 'densegraph-0123456789ab.svg.bak', 'x-densegraph-0123456789ab.svg', '../densegraph-0123456789ab.svg', 'densegraph-0123456789ab.dot']) {
      expect(isDiagramFile(other)).toBe(false);
    }
  });

  it('hrefs: forward slashes, awkward characters percent-encoded', () => {
    expect(markdownHref('../images/my (old) docs/d.svg')).toBe('../images/my%20%28old%29%20docs/d.svg');
    expect(markdownHref('a\\b.svg')).toBe('a/b.svg');
  });
});

describe('property: linking is idempotent and changes nothing outside the markers', () => {
  const eol = fc.constantFrom('\n', '\r\n');
  const prose = fc.string({ unit: fc.constantFrom('a', ' ', '`', '~', '<', '!', '-', '#', '[', ']', 'densegraph'), maxLength: 12 });
  const fence = fc.record({
    indent: fc.integer({ min: 0, max: 4 }),
    char: fc.constantFrom('`', '~'),
    len: fc.integer({ min: 3, max: 5 }),
    info: fc.constantFrom('densegraph', 'python densegraph', 'python', 'yaml', '', 'yaml densegraph'),
    body: fc.array(prose, { maxLength: 3 }),
    closed: fc.boolean(),
  }).map(({ indent, char, len, info, body, closed }) => {
    const f = ' '.repeat(indent) + char.repeat(len);
    return [f + info, ...body, ...(closed ? [f] : [])];
  });
  const doc = fc
    .tuple(fc.array(fc.oneof(prose.map((p) => [p]), fence, fc.constant([''])), { maxLength: 8 }), fc.array(eol, { minLength: 40, maxLength: 40 }), fc.boolean(), fc.boolean())
    .map(([parts, eols, finalEol, python]) => {
      const lines = parts.flat();
      const text = lines.map((l, i) => l + (i < lines.length - 1 || finalEol ? eols[i % eols.length] : '')).join('');
      return { text, python };
    });

  it('holds for generated documents', () => {
    fc.assert(
      fc.property(doc, ({ text, python }) => {
        const options = { python };
        const once = linkAll(text, options);
        expect(linkAll(once, options)).toBe(once);
        expect(removeAll(once, options)).toBe(text);
        expect(findBlocks(once, options).map((b) => b.text)).toEqual(findBlocks(text, options).map((b) => b.text));
      }),
      { numRuns: 500 },
    );
  });
});
