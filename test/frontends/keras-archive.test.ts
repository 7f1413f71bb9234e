import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { isZip, MAX_ARCHIVE_ENTRIES, readKerasArchive } from '../../src/frontends/keras-archive.js';
import { loadModel } from '../../src/frontends/load.js';
import { compileModel } from '../../src/passes/compile.js';
import { readFixture } from '../helpers.js';

const seedConfig = readFixture('fixtures/keras/k3_01_derived_seed_sequential.json');
const metadata = JSON.stringify({ keras_version: '3.5.0', date_saved: '2024-09-01@12:00:00' });

function archive(files: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'densegraph-keras-'));
});
const write = (name: string, data: Uint8Array | string) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

describe('.keras archives', () => {
  it('reads config.json of a Keras 3 archive like its to_json() text', async () => {
    const bytes = archive({ 'metadata.json': metadata, 'config.json': seedConfig, 'model.weights.h5': new Uint8Array(64) });
    expect(isZip(bytes)).toBe(true);
    const r = await loadModel(write('seed.keras', bytes));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const fromJson = await loadModel(write('seed.json', seedConfig));
    const c = compileModel(r.model!).compiled!;
    const cj = compileModel(fromJson.model!).compiled!;
    expect(c.layers.map((l) => [l.name, l.className, l.outputShape, l.params])).toEqual(cj.layers.map((l) => [l.name, l.className, l.outputShape, l.params]));
    expect(c.layers.length).toBeGreaterThan(1);
    expect(readKerasArchive(bytes, 'seed.keras').kerasVersion).toBe('3.5.0');
  });

  it('detects the zip by its bytes, whatever the extension', async () => {
    const r = await loadModel(write('saved.bin', archive({ 'config.json': seedConfig })));
    expect(r.model).toBeDefined();
  });

  it('a truncated archive: a clear error', async () => {
    const bytes = archive({ 'metadata.json': metadata, 'config.json': seedConfig });
    const r = await loadModel(write('trunc.keras', bytes.subarray(0, Math.floor(bytes.length / 2))));
    expect(r.model).toBeUndefined();
    expect(r.diagnostics[0]!.code).toBe('invalid-archive');
    expect(r.diagnostics[0]!.message).toMatch(/not a readable \.keras \(zip\) archive/);
  });

  it('an archive without config.json: a clear error listing its entries', async () => {
    const r = await loadModel(write('noconfig.keras', archive({ 'metadata.json': metadata, 'model.weights.h5': new Uint8Array(8) })));
    expect(r.diagnostics.map((d) => d.message)).toEqual(['the archive has no config.json, so it is not a Keras 3 .keras file (entries: metadata.json, model.weights.h5)']);
  });

  it('a .keras file that is not a zip', async () => {
    const r = await loadModel(write('text.keras', seedConfig));
    expect(r.diagnostics[0]!.message).toMatch(/not a \.keras archive: it does not start with the zip signature/);
  });

  it('limits: entries, and the declared size of config.json', async () => {
    const many: Record<string, string> = { 'config.json': seedConfig };
    for (let i = 0; i < MAX_ARCHIVE_ENTRIES; i++) many[`assets/${i}`] = 'x';
    const r = readKerasArchive(archive(many), 'many.keras');
    expect(r.diagnostics[0]!.code).toBe('archive-too-large');
    expect(r.diagnostics[0]!.message).toMatch(/more than 64 entries/);
    // A config of zeros compresses to almost nothing: refused before inflating it.
    const big = readKerasArchive(archive({ 'config.json': new Uint8Array(2048) }), 'bomb.keras', { maxBytes: 1024 });
    expect(big.diagnostics[0]!.message).toBe('config.json would be 2048 bytes uncompressed, more than the limit of 1024 bytes');
  });

  it('errors in config.json point into the archive', async () => {
    const r = readKerasArchive(archive({ 'config.json': '{"class_name": "Sequential", "config": {"layers": 3}}' }), 'bad.keras');
    expect(r.diagnostics[0]!.loc?.file).toBe('bad.keras!/config.json');
  });
});
