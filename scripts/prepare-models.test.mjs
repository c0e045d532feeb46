// node --test scripts/prepare-models.test.mjs
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ByteBuffer } from 'flatbuffers';
import { addImageMetadata, LANDMARKER_TASK, MODELS, prepareModels, readImageMetadata } from './prepare-models.mjs';
import { modelOutputs, readStoredZip, TASK_ENTRIES } from './lib/face-landmarker-task.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const shortRange = readFileSync(join(repoRoot, 'node_modules/@mediapipe/face_detection/face_detection_short_range.tflite'));
const segmentation = readFileSync(join(repoRoot, 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite'));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Metadata names and the buffer count of a model, read with the flatbuffers runtime. */
function modelSummary(bytes) {
  const bb = new ByteBuffer(new Uint8Array(bytes));
  const root = bb.readUint32(0);
  const vector = (slot) => {
    const offset = bb.__offset(root, 4 + 2 * slot);
    return offset ? { start: bb.__vector(root + offset), length: bb.__vector_len(root + offset) } : { start: 0, length: 0 };
  };
  const metadata = vector(6);
  const names = [];
  for (let i = 0; i < metadata.length; i++) {
    const table = bb.__indirect(metadata.start + 4 * i);
    names.push(bb.__string(table + bb.__offset(table, 4)));
  }
  return { identifier: bb.getBufferIdentifier(), buffers: vector(4).length, subgraphs: vector(2).length, metadata: names };
}

describe('addImageMetadata', () => {
  it('adds RGB image properties and the normalisation, and keeps the original bytes aligned', () => {
    const prepared = addImageMetadata(shortRange, { mean: 127.5, std: 127.5, name: 'face_detector_short' });
    const metadata = readImageMetadata(prepared);
    assert.equal(metadata.identifier, 'M001');
    assert.equal(metadata.name, 'face_detector_short');
    assert.equal(metadata.contentPropertiesType, 2, 'ImageProperties');
    assert.equal(metadata.colorSpace, 1, 'RGB');
    assert.equal(metadata.processUnitType, 1, 'NormalizationOptions');
    assert.deepEqual(metadata.mean, [127.5]);
    assert.deepEqual(metadata.std, [127.5]);
    assert.equal(metadata.inputCount, 1);
    assert.equal(metadata.outputCount, 2);

    const original = modelSummary(shortRange);
    const summary = modelSummary(prepared);
    assert.equal(summary.identifier, 'TFL3');
    assert.equal(summary.subgraphs, original.subgraphs);
    assert.equal(summary.buffers, original.buffers + 1);
    assert.deepEqual(summary.metadata, ['TFLITE_METADATA']);
    const at = Buffer.from(prepared).indexOf(shortRange);
    assert.ok(at > 0, 'the original model is inside the new file');
    assert.equal(at % 16, 0);
  });

  it('is deterministic', () => {
    const options = { mean: 127.5, std: 127.5, name: 'x', description: 'y', version: 'z' };
    assert.equal(sha256(addImageMetadata(shortRange, options)), sha256(addImageMetadata(shortRange, options)));
  });

  it('serves other models and normalisations, and replaces its own metadata when applied again', () => {
    const once = addImageMetadata(segmentation, { mean: 0, std: 255 });
    const twice = addImageMetadata(once, { mean: 0, std: 255, name: 'selfie' });
    assert.deepEqual(readImageMetadata(twice).mean, [0]);
    assert.deepEqual(readImageMetadata(twice).std, [255]);
    assert.equal(readImageMetadata(twice).name, 'selfie');
    assert.deepEqual(modelSummary(twice).metadata, ['TFLITE_METADATA']);
  });

  it('refuses what it cannot write', () => {
    assert.throws(() => addImageMetadata(shortRange, { mean: 0, std: 0 }), /std/);
    assert.throws(() => addImageMetadata(Buffer.from('not a model at all'), { mean: 0, std: 1 }), /TFL3/);
  });
});

describe('prepareModels', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'facekit-models-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));

  const hashes = () =>
    Object.fromEntries(
      ['models', 'wasm'].flatMap((folder) =>
        readdirSync(join(outDir, folder)).map((file) => [`${folder}/${file}`, sha256(readFileSync(join(outDir, folder, file)))]),
      ),
    );

  it('writes the models and the wasm files, then skips them while up to date', async () => {
    const first = await prepareModels(outDir);
    assert.deepEqual(first.upToDate, []);
    assert.ok(first.written.includes(MODELS[0].output) && first.written.includes(MODELS[1].output));
    assert.ok(first.written.some((file) => file.endsWith('vision_wasm_module_internal.wasm')));
    const again = await prepareModels(outDir);
    assert.deepEqual(again.written, []);
    assert.equal(again.upToDate.length, first.written.length);
  });

  it('writes byte-identical files when it runs again from scratch', async () => {
    const before = hashes();
    rmSync(join(outDir, '.prepared.json'));
    const rerun = await prepareModels(outDir);
    assert.ok(rerun.written.length > 0);
    assert.deepEqual(hashes(), before);
    for (const model of MODELS) assert.deepEqual(readImageMetadata(readFileSync(join(outDir, model.output))).std, [model.normalization.std]);
    assert.ok(before[LANDMARKER_TASK.output], 'the FaceLandmarker bundle is among the byte-identical outputs');
  });

  it('bundles the landmark model, its detector and the geometry metadata in a stored .task zip', () => {
    const entries = readStoredZip(readFileSync(join(outDir, LANDMARKER_TASK.output)));
    assert.deepEqual(entries.map((entry) => entry.name), [TASK_ENTRIES.detector, TASK_ENTRIES.landmarks, TASK_ENTRIES.geometry]);
    for (const entry of entries) {
      assert.equal(entry.method, 0, `${entry.name} is stored`);
      assert.equal(entry.dataOffset % 64, 0, `${entry.name} is aligned`);
    }
    const [detector, landmarks] = entries;
    assert.deepEqual(Buffer.from(detector.data), readFileSync(join(outDir, MODELS[0].output)), 'the prepared short-range detector');
    assert.deepEqual(modelOutputs(landmarks.data).map((output) => output.shape), [[1, 1, 1, 1434], [1, 1, 1, 1]]);
    const metadata = readImageMetadata(landmarks.data);
    assert.deepEqual([metadata.mean, metadata.std, metadata.outputCount], [[0], [255], 2]);
  });
});
