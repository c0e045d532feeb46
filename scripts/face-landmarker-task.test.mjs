// node --test scripts/face-landmarker-task.test.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ByteBuffer } from 'flatbuffers';
import {
  appendLandmarkGather,
  buildFaceLandmarkerTask,
  crc32,
  extractPackedAssets,
  FILLER_IRIS_SOURCES,
  landmarkGatherIndices,
  modelOutputs,
  readStoredZip,
  writeStoredZip,
} from './lib/face-landmarker-task.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const faceMesh = join(repoRoot, 'node_modules/@mediapipe/face_mesh');
const packedData = readFileSync(join(faceMesh, 'face_mesh_solution_packed_assets.data'));
const packedLoader = readFileSync(join(faceMesh, 'face_mesh_solution_packed_assets_loader.js'), 'utf8');

/** The GATHER operator and its index tensor, read back from the model with the flatbuffers runtime. */
function readGather(bytes) {
  const bb = new ByteBuffer(new Uint8Array(bytes));
  const field = (table, slot) => {
    const offset = bb.__offset(table, 4 + 2 * slot);
    return offset ? table + offset : 0;
  };
  const tables = (table, slot) => Array.from({ length: bb.__vector_len(field(table, slot)) }, (_, i) => bb.__indirect(bb.__vector(field(table, slot)) + 4 * i));
  const ints = (table, slot) => Array.from({ length: bb.__vector_len(field(table, slot)) }, (_, i) => bb.readInt32(bb.__vector(field(table, slot)) + 4 * i));
  const model = bb.readUint32(0);
  const [subgraph] = tables(model, 2);
  const operators = tables(subgraph, 3);
  const gather = operators[operators.length - 1];
  const code = tables(model, 1)[field(gather, 0) ? bb.readUint32(field(gather, 0)) : 0];
  const [, indexTensor] = ints(gather, 1);
  const tensor = tables(subgraph, 0)[indexTensor];
  const buffer = tables(model, 4)[bb.readUint32(field(tensor, 2))];
  const dataAt = field(buffer, 0);
  const start = bb.__vector(dataAt);
  const indices = Array.from({ length: bb.__vector_len(dataAt) / 4 }, (_, i) => bb.readInt32(start + 4 * i));
  return { opcode: bb.readInt8(field(code, 0)), axis: bb.readInt32(field(bb.__indirect(field(gather, 4)), 0)), indices, dataAlignment: start % 16 };
}

describe('face-landmarker-task', () => {
  it('cuts the packed assets at the byte ranges of the loader JS', () => {
    const files = extractPackedAssets(packedData, packedLoader);
    assert.deepEqual([...files.keys()].sort(), [
      'face_detection_short_range.tflite',
      'face_landmark.tflite',
      'face_landmark_with_attention.tflite',
      'geometry_pipeline_metadata_landmarks.binarypb',
    ]);
    assert.equal(Buffer.from(files.get('face_landmark.tflite').subarray(4, 8)).toString(), 'TFL3');
    assert.throws(() => extractPackedAssets(packedData.subarray(1), packedLoader), /expects/);
  });

  it('appends a GATHER that makes output 0 the 468 points plus 10 copied eyelid points', () => {
    const model = extractPackedAssets(packedData, packedLoader).get('face_landmark.tflite');
    assert.deepEqual(modelOutputs(model).map((o) => o.shape), [[1, 1, 1, 1404], [1, 1, 1, 1]]);
    const gathered = appendLandmarkGather(model, landmarkGatherIndices());
    assert.deepEqual(modelOutputs(gathered).map((o) => o.shape), [[1, 1, 1, 1434], [1, 1, 1, 1]]);
    const gather = readGather(gathered);
    assert.equal(gather.opcode, 36, 'GATHER');
    assert.equal(gather.axis, 3);
    assert.equal(gather.dataAlignment, 0);
    assert.equal(gather.indices.length, 1434);
    assert.deepEqual(gather.indices.slice(0, 1404), Array.from({ length: 1404 }, (_, i) => i));
    assert.deepEqual(gather.indices.slice(1404), FILLER_IRIS_SOURCES.flatMap((p) => [3 * p, 3 * p + 1, 3 * p + 2]));
    assert.ok(Buffer.from(gathered).indexOf(model) > 0, 'the original model is kept inside');
    assert.throws(() => appendLandmarkGather(model, [1404]), /gather index/);
  });

  it('writes a deterministic stored zip that unzip accepts', () => {
    const entries = [
      { name: 'a.bin', data: new Uint8Array([1, 2, 3]) },
      { name: 'folder/b.txt', data: new TextEncoder().encode('hello') },
    ];
    const zip = writeStoredZip(entries);
    assert.deepEqual(zip, writeStoredZip(entries));
    const read = readStoredZip(zip);
    assert.deepEqual(read.map((e) => [e.name, [...e.data], e.method, e.dataOffset % 64]), [['a.bin', [1, 2, 3], 0, 0], ['folder/b.txt', [...entries[1].data], 0, 0]]);
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    if (spawnSync('sh', ['-c', 'command -v unzip'], { stdio: 'ignore' }).status === 0) {
      const dir = mkdtempSync(join(tmpdir(), 'facekit-zip-'));
      try {
        writeFileSync(join(dir, 'x.zip'), zip);
        execFileSync('unzip', ['-tq', join(dir, 'x.zip')]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('builds the same bundle byte for byte', () => {
    const detector = readFileSync(join(repoRoot, 'node_modules/@mediapipe/face_detection/face_detection_short_range.tflite'));
    const addMetadata = (model) => model;
    const once = buildFaceLandmarkerTask({ detector, packedData, packedLoader, addMetadata });
    const twice = buildFaceLandmarkerTask({ detector, packedData, packedLoader, addMetadata });
    assert.deepEqual(once, twice);
  });
});
