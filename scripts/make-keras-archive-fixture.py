#!/usr/bin/python3
"""Writes the `.keras` archives with stored weights under fixtures/keras-archive/.

Run with Debian's python3 (it has h5py and numpy), after `npm run build`:

    /usr/bin/python3 scripts/make-keras-archive-fixture.py

Each archive follows reference/keras.md §6.3 (Keras 3 `keras/src/saving/saving_lib.py`): zip
entries in the order metadata.json, config.json, model.weights.h5, stored (not deflated), with a
fixed date so the bytes are stable. config.json is what `densegraph convert --to keras-json`
writes for a fixture model (Keras 3 `to_json()` text). model.weights.h5 is written with h5py's
defaults, as Keras's H5IOStore does: a group `<path>/vars` per saveable with datasets "0", "1", …
(trainable variables, then non-trainable), children of a Sequential/Functional under
`layers/<snake_case class name>[_k]` with a counter per container and class name (never the
layer's own name), the model's own empty `/vars`, optimizer state under `optimizer/vars`, and
attrs["name"] = layer.name on each vars group as newer Keras versions write.

The paths are derived here from config.json by that rule, independently of densegraph, and the
expected predictions are computed here with numpy in float64 from the same float32 arrays, so
a test comparing `densegraph run` with them checks the mapping and the forward pass.

Also written: standalone weight files in the seed model's layout for the error tests (float64
values, an int32 bias, an HDF5 file in the newest format with chunked datasets, and one whose
groups link back to an ancestor).
"""
import io
import json
import os
import subprocess
import sys
import zipfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'fixtures', 'keras-archive')
DATE = (2025, 1, 1, 0, 0, 0)
METADATA = {'keras_version': '3.8.0', 'date_saved': '2025-01-01@00:00:00'}


def keras_json(model_file):
    """config.json text: densegraph's Keras 3 to_json() output for a fixture model."""
    return subprocess.run(
        ['node', os.path.join(ROOT, 'bin', 'densegraph.js'), 'convert', model_file, '--to', 'keras-json'],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout


def snake(name):
    """keras/src/utils/naming.py to_snake_case."""
    import re
    name = re.sub(r'\W+', '', name)
    name = re.sub('(.)([A-Z][a-z]+)', r'\1_\2', name)
    name = re.sub('([a-z])([A-Z])', r'\1_\2', name)
    return name.lower()


def layer_paths(config, prefix=''):
    """{layer name path: h5 path} by Keras 3 _save_container_state over `model.layers`.

    Sequential.layers leaves out its InputLayer; Functional.layers keeps it. Either way the
    counter is per class name, so only layers of the same class count against each other.
    """
    out = {}
    used = {}
    layers = config['config']['layers']
    if config['class_name'] == 'Sequential':
        layers = [l for l in layers if l['class_name'] != 'InputLayer']
    for layer in layers:
        name = snake(layer['class_name'])
        if name in used:
            used[name] += 1
            name = f'{name}_{used[name]}'
        else:
            used[name] = 0
        path = f'{prefix}layers/{name}'
        out[layer['config']['name']] = path
        if layer['class_name'] in ('Sequential', 'Functional'):
            for inner, p in layer_paths(layer, f'{path}/').items():
                out[f"{layer['config']['name']}/{inner}"] = p
    return out


def pattern(shape, phase, scale=1.0, positive=False):
    """Deterministic float32 values: scale·sin(1.37·i + phase), or 1 + its square."""
    n = int(np.prod(shape))
    v = scale * np.sin(1.37 * np.arange(n) + phase)
    if positive:
        v = 1.0 + v * v
    return v.reshape(shape).astype(np.float32)


def write_h5(variables, names, model_name, dtype=None, libver=None, chunks=False):
    """HDF5 bytes: variables maps an h5 path to its list of arrays.

    With the defaults this is what Keras's H5IOStore writes (h5py's 'earliest' format, which
    stores no timestamps). A newer `libver` stores object timestamps unless each object's
    creation list says not to, so then files and groups are made with the low-level API.
    """
    buf = io.BytesIO()
    if libver is None:
        f = h5py.File(buf, 'w')
        gcpl = None
    else:
        fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
        fapl.set_fileobj_driver(h5py.h5fd.fileobj_driver, buf)
        bound = {'latest': h5py.h5f.LIBVER_LATEST}[libver]
        fapl.set_libver_bounds(bound, bound)
        fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
        fcpl.set_obj_track_times(False)
        f = h5py.File(h5py.h5f.create(b'weights.h5', h5py.h5f.ACC_TRUNC, fapl=fapl, fcpl=fcpl))
        gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
        gcpl.set_obj_track_times(False)

    def group(parent, path):
        for part in path.split('/'):
            if part in parent:
                parent = parent[part]
            elif gcpl is None:
                parent = parent.create_group(part)
            else:
                parent = h5py.Group(h5py.h5g.create(parent.id, part.encode(), gcpl=gcpl))
        return parent

    with f:
        group(f, 'vars').attrs['name'] = model_name
        for path in sorted(variables):
            g = group(f, f'{path}/vars')
            g.attrs['name'] = names[path]
            for i, value in enumerate(variables[path]):
                v = value if dtype is None else dtype(path, i, value)
                extra = {'chunks': True} if chunks and v.ndim else {}
                g.create_dataset(str(i), data=v, track_times=False, **extra)
        opt = group(f, 'optimizer/vars')
        opt.attrs['name'] = 'adam'
        opt.create_dataset('0', data=np.int64(0), track_times=False)
        opt.create_dataset('1', data=np.float32(0.001), track_times=False)
    return buf.getvalue()


def with_cycle(h5):
    """The file with a hard link from layers/dense/loop back to layers: a cycle of groups."""
    buf = io.BytesIO(h5)
    with h5py.File(buf, 'r+') as f:
        f['layers/dense/loop'] = f['layers']
    return buf.getvalue()


def write_zip(path, entries):
    with zipfile.ZipFile(path, 'w', compression=zipfile.ZIP_STORED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def archive(stem, model_file, weights_of, forward, inputs):
    config_text = keras_json(model_file)
    config = json.loads(config_text)
    paths = layer_paths(config)
    weights = weights_of()
    variables = {paths[name]: arrays for name, arrays in weights.items()}
    names = {paths[name]: name.split('/')[-1] for name in weights}
    h5 = write_h5(variables, names, config['config']['name'])
    write_zip(os.path.join(OUT, f'{stem}.keras'), [
        ('metadata.json', json.dumps(METADATA)),
        ('config.json', config_text),
        ('model.weights.h5', h5),
    ])
    w64 = {name: [a.astype(np.float64) for a in arrays] for name, arrays in weights.items()}
    outputs = forward(w64, {k: np.asarray(v, np.float64) for k, v in inputs.items()})
    with open(os.path.join(OUT, f'{stem}.predictions.json'), 'w') as f:
        json.dump({'inputs': inputs, 'h5_paths': {n: paths[n] for n in weights}, 'outputs': outputs.tolist()}, f, indent=1)
        f.write('\n')
    return variables, names, config


relu = lambda x: np.maximum(x, 0.0)
sigmoid = lambda x: 1.0 / (1.0 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def rows(n, m, phase):
    return [[round(float(np.cos(0.3 * r + 0.7 * c + phase)), 6) for c in range(m)] for r in range(n)]


def dense(w, name, x, act=lambda v: v):
    arrays = w[name]
    y = x @ arrays[0]
    if len(arrays) > 1:
        y = y + arrays[1]
    return act(y)


# The seed model, 4 → 8 → 6 → 1 (Sequential, three Dense layers).
def seed_weights():
    return {
        'dense': [pattern((4, 8), 0.1), pattern((8,), 0.2, 0.1)],
        'dense_1': [pattern((8, 6), 0.3), pattern((6,), 0.4, 0.1)],
        'dense_2': [pattern((6, 1), 0.5), pattern((1,), 0.6, 0.1)],
    }


def seed_forward(w, x):
    h = dense(w, 'dense', x['input'], relu)
    h = dense(w, 'dense_1', h, relu)
    return dense(w, 'dense_2', h, sigmoid)


# Functional: two inputs, Add, Concatenate, BatchNormalization (Dense and BatchNormalization
# interleaved, so their counters run side by side).
def functional_weights():
    return {
        'dense_a': [pattern((6, 8), 1.1), pattern((8,), 1.2, 0.1)],
        'dense_b': [pattern((4, 8), 1.3), pattern((8,), 1.4, 0.1)],
        'bn': [pattern((12,), 1.5, 0.3) + 1.0, pattern((12,), 1.6, 0.2), pattern((12,), 1.7, 0.3), pattern((12,), 1.8, 0.5, positive=True)],
        'hidden': [pattern((12, 5), 1.9)],
        'out': [pattern((5, 2), 2.0), pattern((2,), 2.1, 0.1)],
    }


def functional_forward(w, x):
    s = dense(w, 'dense_a', x['a'], relu) + dense(w, 'dense_b', x['b'], np.tanh)
    h = np.concatenate([s, x['b']], axis=-1)
    gamma, beta, mean, var = w['bn']
    h = (h - mean) / np.sqrt(var + 1e-3) * gamma + beta
    h = dense(w, 'hidden', h, relu)
    return dense(w, 'out', h, sigmoid)


# A Sequential nested in a Functional: layers/sequential/layers/dense[_1] beside layers/dense.
def nested_weights():
    return {
        'encoder/dense': [pattern((8, 6), 2.2), pattern((6,), 2.3, 0.1)],
        'encoder/code': [pattern((6, 4), 2.4), pattern((4,), 2.5, 0.1)],
        'head': [pattern((4, 2), 2.6), pattern((2,), 2.7, 0.1)],
    }


def nested_forward(w, x):
    h = dense(w, 'encoder/dense', x['features'], relu)
    h = dense(w, 'encoder/code', h, relu)
    return dense(w, 'head', h, softmax)


def main():
    os.makedirs(OUT, exist_ok=True)
    seed_vars, seed_names, seed_config = archive('seed', 'fixtures/seed/binary-classifier.yaml', seed_weights, seed_forward, {'input': rows(5, 4, 0.0)})
    archive('functional', 'fixtures/functional/merge-batchnorm.yaml', functional_weights, functional_forward, {'a': rows(4, 6, 0.5), 'b': rows(4, 4, 1.0)})
    archive('nested', 'fixtures/functional/nested-sequential.yaml', nested_weights, nested_forward, {'features': rows(3, 8, 1.5)})

    # Odd weight files in the seed layout, zipped with the seed config by the tests.
    name = seed_config['config']['name']
    odd = {
        'seed-float64.weights.h5': write_h5(seed_vars, seed_names, name, dtype=lambda p, i, v: v.astype(np.float64)),
        'seed-int32-bias.weights.h5': write_h5(seed_vars, seed_names, name, dtype=lambda p, i, v: v.astype(np.int32) if p == 'layers/dense_2' and i == 1 else v),
        'seed-chunked-latest.weights.h5': write_h5(seed_vars, seed_names, name, libver='latest', chunks=True),
        'seed-cycle.weights.h5': with_cycle(write_h5(seed_vars, seed_names, name)),
    }
    for file, data in odd.items():
        with open(os.path.join(OUT, file), 'wb') as f:
            f.write(data)
    print(f'wrote {OUT}', file=sys.stderr)


if __name__ == '__main__':
    main()
