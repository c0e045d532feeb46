// node --test scripts/fixtures.test.mjs
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readNpy } from './fixtures.mjs';

/** A .npy file (format 1.0) as numpy writes it: magic, version, header padded to 64 bytes, data. */
function npy(descr, shape, data, { fortran = false } = {}) {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]);
}

describe('readNpy', () => {
  it('reads float64 in 0…1 as 0…255 luma, in C order', () => {
    const data = Buffer.alloc(4 * 8);
    [0, 0.5, 1, 0.2].forEach((value, i) => data.writeDoubleLE(value, i * 8));
    const { shape, values } = readNpy(npy('<f8', [1, 2, 2], data));
    assert.deepEqual(shape, [1, 2, 2]);
    assert.deepEqual(Array.from(values), [0, 128, 255, 51]);
  });

  it('reads uint8 unchanged', () => {
    const { values } = readNpy(npy('|u1', [3], Buffer.from([0, 7, 255])));
    assert.deepEqual(Array.from(values), [0, 7, 255]);
  });

  it('refuses what it cannot read', () => {
    assert.throws(() => readNpy(Buffer.from('PNG...')), /not a \.npy/);
    assert.throws(() => readNpy(npy('<f8', [1], Buffer.alloc(8), { fortran: true })), /Fortran/);
    assert.throws(() => readNpy(npy('<i8', [1], Buffer.alloc(8))), /dtype/);
  });
});
