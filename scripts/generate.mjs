// Writes the files that are derived from the code: the published JSON Schema of the spec
// format, the layer argument reference, and the README/docs pictures drawn by densegraph.
// `npm run gen` runs it; test/generated.test.ts fails when a file is out of date.
import { writeFileSync } from 'node:fs';
import { generatedFiles } from '../dist/generated.js';

for (const [path, content] of Object.entries(await generatedFiles())) {
  writeFileSync(new URL(`../${path}`, import.meta.url), content);
  console.log(`wrote ${path}`);
}
