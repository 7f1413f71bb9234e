import Ajv2020 from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../src/generated.js';
import { specJsonSchema } from '../src/frontends/spec-schema.js';
import { readFixture } from './helpers.js';

describe('generated files', () => {
  it('are up to date (run npm run gen after changing a schema, a style or a fixture they draw)', async () => {
    for (const [path, content] of Object.entries(await generatedFiles())) {
      expect(readFixture(path), `${path} is stale: run npm run gen`).toBe(content);
    }
  });
});

describe('the published JSON Schema of the spec format', () => {
  const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: false });
  const validate = ajv.compile(specJsonSchema());

  it('accepts every fixture', () => {
    for (const f of ['seed/binary-classifier.yaml', 'seed/dense-8-relu.yaml', 'seed/output-softmax.yaml', 'models/mnist-mlp.yaml', 'models/rank3-flatten.yaml', 'models/escaping.yaml']) {
      expect(validate(parseYaml(readFixture(`fixtures/${f}`))), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('rejects what densegraph rejects: unknown arguments, bad activations, units of 0, extra keys', () => {
    for (const bad of [
      { layers: [{ Dense: { units: 8, activaton: 'relu' } }] },
      { layers: [{ Dense: { units: 8, activation: 'rleu' } }] },
      { layers: [{ Dense: { units: 0 } }] },
      { layers: [{ Dense: { units: 1 }, Dropout: 0.5 }] },
      { layers: [], extra: 1 },
      { name: 'x' },
    ]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
