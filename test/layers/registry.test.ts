import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAYER_KINDS, LAYERS, type LayerKind } from '../../src/layers/registry.js';
import { anyInputs, config, expectError } from './helpers.js';

/** A minimal valid config for every kind; a kind missing here fails the first test. */
const MINIMAL: Record<LayerKind, Record<string, unknown>> = {
  InputLayer: { shape: [4] },
  Dense: { units: 3 },
  Activation: { activation: 'relu' },
  Dropout: { rate: 0.5 },
  Flatten: {},
  Embedding: { input_dim: 20, output_dim: 4 },
  Concatenate: {},
  Add: {},
  Subtract: {},
  Multiply: {},
  Average: {},
  Maximum: {},
  Minimum: {},
  Reshape: { target_shape: [-1] },
  Permute: { dims: [2, 1] },
  RepeatVector: { n: 2 },
  BatchNormalization: {},
  LayerNormalization: { axis: [1, -1] },
  GaussianNoise: { stddev: 0.1 },
  GaussianDropout: { rate: 0.1 },
  AlphaDropout: { rate: 0.1 },
  SpatialDropout1D: { rate: 0.1 },
  ActivityRegularization: {},
  LeakyReLU: {},
  PReLU: { shared_axes: [1] },
  ELU: {},
  ReLU: {},
  Softmax: {},
};

describe('every layer kind', () => {
  it('is documented: one-line doc, keras.io layer page, positional arguments from its schema, base arguments', () => {
    expect(Object.keys(MINIMAL).sort()).toEqual([...LAYER_KINDS].sort());
    for (const kind of LAYER_KINDS) {
      const def = LAYERS[kind];
      expect(def.doc, kind).toMatch(/^[^\n]+\.$/);
      expect(def.kerasUrl, kind).toMatch(/^https:\/\/keras\.io\/api\/layers\/[a-z_]+\/[a-z0-9_]+\/$/);
      for (const p of def.positional) expect(Object.keys(def.schema), `${kind}.${p}`).toContain(p);
      // InputLayer has no trainable argument in Keras; every other layer has the base ones.
      const base = kind === 'InputLayer' ? ['name', 'dtype'] : ['name', 'trainable', 'dtype'];
      for (const b of base) expect(Object.keys(def.schema), `${kind}.${b}`).toContain(b);
      for (const [arg, field] of Object.entries(def.schema)) expect(field.doc.length, `${kind}.${arg}`).toBeGreaterThan(0);
    }
  });

  it('returns a shape or an error with a code for any inputs, never an exception, and weights for every shape it accepts (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LAYER_KINDS), anyInputs, (kind, inputs) => {
        const def = LAYERS[kind];
        const c = config(kind, MINIMAL[kind]);
        const r = def.outputShape(c, inputs);
        if (!r.ok) return expectError(r);
        expect(Array.isArray(r.shape)).toBe(true);
        for (const w of def.weights(c, inputs)) {
          expect(w.shape.every((d) => Number.isInteger(d) && d >= 1), `${kind} ${w.name} ${JSON.stringify(w.shape)}`).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
