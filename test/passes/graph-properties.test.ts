/**
 * Property tests over whole graphs: random chains and merges either compile with shapes that
 * satisfy each layer's invariant, or are refused with a diagnostic, never an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LayerIR, ModelIR, TensorRef } from '../../src/ir/model.js';
import { compileModel } from '../../src/passes/compile.js';

const MERGES = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate'] as const;

/** A step of a random graph: a Dense on some earlier tensor, or a merge of two earlier tensors. */
const step = fc.oneof(
  fc.record({ kind: fc.constant('dense' as const), from: fc.nat(), units: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('merge' as const), a: fc.nat(), b: fc.nat(), op: fc.constantFrom(...MERGES) }),
);

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function build(inputSizes: number[], steps: Step[]): ModelIR {
  const layers: LayerIR[] = inputSizes.map((n, i) => ({ className: 'InputLayer', name: `in${i}`, config: { shape: [n], name: `in${i}` }, calls: [] }));
  const tensors: TensorRef[] = layers.map((l) => ({ layer: l.name! }));
  steps.forEach((s, i) => {
    const name = `l${i}`;
    const pick = (k: number) => tensors[k % tensors.length]!;
    const calls = s.kind === 'dense' ? [[pick(s.from)]] : [[pick(s.a), pick(s.b)]];
    const config = s.kind === 'dense' ? { units: s.units, name } : { name };
    layers.push({ className: s.kind === 'dense' ? 'Dense' : s.op, name, config, calls });
    tensors.push({ layer: name });
  });
  return { name: 'random', kind: 'Functional', layers, inputs: inputSizes.map((_, i) => `in${i}`), outputs: [tensors[tensors.length - 1]!] };
}

describe('random graphs of Dense layers and merges', () => {
  it('compile with invariant shapes, or fail with a diagnostic that names the layer', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }), fc.array(step, { minLength: 1, maxLength: 12 }), (inputs, steps) => {
        const model = build(inputs, steps);
        const result = compileModel(model);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (!result.compiled) {
          expect(errors.length).toBeGreaterThan(0);
          for (const e of errors) expect(e.message).toMatch(/layer '|input '/);
          return;
        }
        expect(errors).toEqual([]);
        const byName = new Map(result.compiled.layers.map((l) => [l.name, l]));
        for (const layer of result.compiled.layers) {
          const ins = layer.inputShapes;
          const out = layer.outputShape!;
          expect(out[0]).toBeNull();
          if (layer.className === 'Dense') {
            expect(out).toEqual([...ins[0]!.slice(0, -1), layer.config['units']]);
            expect(layer.params).toBe((ins[0]![ins[0]!.length - 1] as number) * (layer.config['units'] as number) + (layer.config['units'] as number));
          } else if (layer.className === 'Concatenate') {
            expect(out[out.length - 1]).toBe(ins.reduce((n, s) => n + (s[s.length - 1] as number), 0));
          } else if (layer.className !== 'InputLayer') {
            // Elementwise merges of rank-2 tensors: equal sizes, or one of them 1 (broadcast).
            const sizes = ins.map((s) => s[1] as number);
            expect(out[1]).toBe(Math.max(...sizes));
            expect(sizes.every((n) => n === out[1] || n === 1)).toBe(true);
          }
          for (const ref of layer.calls[0]?.inbound ?? []) expect(byName.has(ref.layer)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a merge of different sizes names both layers and both shapes', () => {
    const model = build([3, 5], [{ kind: 'merge', a: 0, b: 1, op: 'Add' }]);
    const error = compileModel(model).diagnostics.find((d) => d.severity === 'error')!;
    expect(error.message).toContain("layer 'l0' (Add)");
    expect(error.message).toContain("(None, 3) from 'in0'");
    expect(error.message).toContain("(None, 5) from 'in1'");
  });
});
