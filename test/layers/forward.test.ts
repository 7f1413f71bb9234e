import { describe, expect, it } from 'vitest';
import { LAYER_KINDS, LAYERS } from '../../src/layers/registry.js';

describe('forward passes', () => {
  it('every layer kind but InputLayer has one, so a new kind without one fails here', () => {
    const missing = LAYER_KINDS.filter((kind) => kind !== 'InputLayer' && typeof LAYERS[kind].forward !== 'function');
    expect(missing).toEqual([]);
  });

  it('InputLayer has none: the executor feeds its value in', () => {
    expect(LAYERS.InputLayer.forward).toBeUndefined();
  });
});
