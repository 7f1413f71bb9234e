import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAlias } from '../../src/layers/aliases.js';
import { isLayerKind } from '../../src/layers/registry.js';

describe('resolveAlias', () => {
  it('maps the lowercase functional helpers to their classes, config unchanged, no warning', () => {
    const pairs = [
      ['concatenate', 'Concatenate'], ['add', 'Add'], ['subtract', 'Subtract'], ['multiply', 'Multiply'],
      ['average', 'Average'], ['maximum', 'Maximum'], ['minimum', 'Minimum'],
    ] as const;
    for (const [helper, cls] of pairs) {
      const r = resolveAlias(helper, { axis: 1, name: 'm' });
      expect(r).toEqual({ className: cls, config: { axis: 1, name: 'm' } });
      expect(isLayerKind(cls)).toBe(true);
    }
  });

  it('maps Keras 1 Merge modes to the Keras 2 layers, with a warning naming the layer', () => {
    const cases = [['sum', 'Add'], ['mul', 'Multiply'], ['ave', 'Average'], ['max', 'Maximum']] as const;
    for (const [mode, cls] of cases) {
      const r = resolveAlias('Merge', { name: 'merge_1', mode, mode_type: 'raw', concat_axis: -1, dot_axes: -1, output_shape: null, output_shape_type: 'raw', output_mask: null, output_mask_type: 'raw', arguments: {} });
      expect(r).toEqual({ className: cls, config: { name: 'merge_1' }, warning: expect.stringContaining(cls) });
      if ('warning' in r) expect(r.warning).toContain(`mode='${mode}'`);
    }
  });

  it('maps Merge(mode="concat") to Concatenate with concat_axis as axis', () => {
    expect(resolveAlias('Merge', { mode: 'concat', concat_axis: 1, name: 'm' })).toEqual({
      className: 'Concatenate',
      config: { name: 'm', axis: 1 },
      warning: "Keras 1 Merge(mode='concat') was replaced by Concatenate in Keras 2; read as Concatenate(axis=1)",
    });
    expect(resolveAlias('Merge', { mode: 'concat' })).toMatchObject({ className: 'Concatenate', config: { axis: -1 } });
  });

  it('reads a Merge without a mode as sum, the Keras 1 default', () => {
    expect(resolveAlias('Merge', {})).toMatchObject({ className: 'Add', config: {} });
  });

  it('refuses dot, cos, Python functions and unknown modes with an error, not a class', () => {
    for (const mode of ['dot', 'cos']) {
      const r = resolveAlias('Merge', { mode });
      expect(r).toMatchObject({ error: expect.stringContaining(`'${mode}' is not supported`) });
      expect('error' in r && r.error).toContain('Dot');
    }
    expect(resolveAlias('Merge', { mode: 'gASMBUAAA...', mode_type: 'lambda' })).toMatchObject({ error: expect.stringContaining('Python function') });
    expect(resolveAlias('Merge', { mode: 'my_merge', mode_type: 'function' })).toMatchObject({ error: expect.stringContaining('Python function') });
    expect(resolveAlias('Merge', { mode: ['code'] })).toMatchObject({ error: expect.stringContaining('Python function') });
    expect(resolveAlias('Merge', { mode: 'summ' })).toMatchObject({ error: "unknown Keras 1 Merge mode 'summ'. Did you mean 'sum'?" });
  });

  it('passes every other name through unchanged, config included (property)', () => {
    const known = new Set(['Merge', 'concatenate', 'add', 'subtract', 'multiply', 'average', 'maximum', 'minimum']);
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.jsonValue()), (name, cfg) => {
        fc.pre(!known.has(name));
        const r = resolveAlias(name, cfg);
        expect(r).toEqual({ className: name, config: cfg });
      }),
    );
    expect(resolveAlias('Dense', { units: 3 })).toEqual({ className: 'Dense', config: { units: 3 } });
    expect(resolveAlias('toString', {})).toEqual({ className: 'toString', config: {} });
  });
});
