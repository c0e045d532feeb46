// The FaceLandmarker `.task` bundle, made at build time from the legacy @mediapipe/face_mesh package
// (no npm package ships the Tasks-format face models; see DESIGN.md, "On-device vision").
//
//   extractPackedAssets(dataBytes, loaderSource)   files of an Emscripten packed-asset .data file
//   appendLandmarkGather(modelBytes, indices)      output 0 becomes a GATHER of the old output 0
//   writeStoredZip(entries)                        a deterministic, uncompressed, aligned zip
//   buildFaceLandmarkerTask({ … })                 the three steps together
//
// Every function is pure: the same input bytes give the same output bytes.
import { Builder, ByteBuffer } from 'flatbuffers';

/** Legacy face mesh: 468 landmarks × (x, y, z). */
export const MESH_LANDMARKS = 468;
/**
 * Tasks' FaceLandmarker wants 478 landmarks (the mesh plus 10 iris points). The legacy model has no
 * iris, so the 10 extra points repeat real eyelid and eye-corner points: for each eye the iris
 * centre, then four "iris contour" points. They are copies and must never be used as an iris.
 */
export const FILLER_IRIS_SOURCES = [159, 133, 159, 33, 145, 386, 362, 386, 263, 374];

/** Indices into the flat [x0, y0, z0, x1, …] output: the 468 points, then the 10 copies. */
export function landmarkGatherIndices() {
  const indices = Array.from({ length: MESH_LANDMARKS * 3 }, (_, i) => i);
  for (const point of FILLER_IRIS_SOURCES) indices.push(3 * point, 3 * point + 1, 3 * point + 2);
  return indices;
}

// ---------------------------------------------------------------------------------------------
// Emscripten packed assets

/**
 * The files of an Emscripten packed-asset `.data` file, cut with the byte ranges that its loader JS
 * passes to `loadPackage({"files": [{"filename", "start", "end"}, …]})`. Returns a Map from the
 * file's base name to its bytes.
 */
export function extractPackedAssets(dataBytes, loaderSource) {
  const call = /loadPackage\((\{"files":[\s\S]*?\})\)/.exec(loaderSource);
  if (!call) throw new Error('the packed-asset loader has no loadPackage({"files": …}) call');
  const { files, remote_package_size: packageSize } = JSON.parse(call[1]);
  if (packageSize !== undefined && packageSize !== dataBytes.length) {
    throw new Error(`the packed-asset data is ${dataBytes.length} bytes, its loader expects ${packageSize}`);
  }
  const extracted = new Map();
  for (const { filename, start, end } of files) {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= dataBytes.length)) {
      throw new Error(`bad byte range for ${filename}: ${start}…${end}`);
    }
    extracted.set(filename.slice(filename.lastIndexOf('/') + 1), Uint8Array.prototype.slice.call(dataBytes, start, end));
  }
  return extracted;
}

// ---------------------------------------------------------------------------------------------
// TFLite: append a GATHER to output 0

// Field slots of tensorflow/lite/schema/schema.fbs.
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 };
const MODEL_FIELD_COUNT = 8;
const OPERATOR_CODE = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 };
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 };
const SUBGRAPH_FIELD_COUNT = 5;
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3 };
const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4 };
const BUFFER = { data: 0 };
const GATHER_OPTIONS = { axis: 0 };
const BUILTIN_GATHER = 36;
const BUILTIN_OPTIONS_GATHER = 23;
const TENSOR_TYPE = { FLOAT32: 0, INT32: 2 };

/** Flatbuffer table access by field slot, positions absolute in the buffer. */
function tableReader(bb) {
  const field = (table, slot) => {
    const offset = bb.__offset(table, 4 + 2 * slot);
    return offset ? table + offset : 0;
  };
  return {
    field,
    has: (table, slot) => field(table, slot) !== 0,
    target: (table, slot) => (field(table, slot) ? bb.__indirect(field(table, slot)) : 0),
    int: (table, slot, fallback = 0) => (field(table, slot) ? bb.readInt32(field(table, slot)) : fallback),
    int8: (table, slot, fallback = 0) => (field(table, slot) ? bb.readInt8(field(table, slot)) : fallback),
    string: (table, slot) => (field(table, slot) ? bb.__string(field(table, slot)) : null),
    tables: (table, slot) => {
      const at = field(table, slot);
      if (!at) return [];
      const start = bb.__vector(at);
      return Array.from({ length: bb.__vector_len(at) }, (_, i) => bb.__indirect(start + 4 * i));
    },
    ints: (table, slot) => {
      const at = field(table, slot);
      if (!at) return [];
      const start = bb.__vector(at);
      return Array.from({ length: bb.__vector_len(at) }, (_, i) => bb.readInt32(start + 4 * i));
    },
  };
}

function addIntVector(builder, values) {
  builder.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) builder.addInt32(values[i]);
  return builder.endVector();
}

function addOffsetVector(builder, offsets) {
  builder.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) builder.addOffset(offsets[i]);
  return builder.endVector();
}

function addTable(builder, fieldCount, write) {
  builder.startObject(fieldCount);
  write();
  return builder.endObject();
}

/**
 * Returns a copy of a TFLite model whose output 0 is `GATHER(old output 0, indices, axis = last)`.
 * For the legacy face mesh, `landmarkGatherIndices()` turns `[1,1,1,1404]` into `[1,1,1,1434]`.
 *
 * As in addImageMetadata, the original bytes are kept unchanged at the end of the file and a new root
 * `Model` table in front of them reuses every original object. It adds one operator code (unless
 * GATHER is already there), one buffer (the int32 indices), two tensors (indices, result), one
 * operator, and a new first subgraph table whose output list starts with the result.
 *
 * @param {Uint8Array} modelBytes
 * @param {number[]} indices
 * @returns {Uint8Array}
 */
export function appendLandmarkGather(modelBytes, indices) {
  const original = new Uint8Array(modelBytes);
  const bb = new ByteBuffer(original);
  if (bb.getBufferIdentifier() !== 'TFL3') throw new Error('not a TFLite model (file identifier is not TFL3)');
  const read = tableReader(bb);
  const model = bb.readUint32(0);
  if (read.has(model, MODEL_FIELD_COUNT)) throw new Error('the model has fields this tool does not know; refusing to drop them');
  if (read.has(model, MODEL.signatureDefs)) throw new Error('the model has signature defs, which would still name the old output');
  const [subgraph, ...otherSubgraphs] = read.tables(model, MODEL.subgraphs);
  if (!subgraph) throw new Error('the model has no subgraph');
  if (read.has(subgraph, SUBGRAPH_FIELD_COUNT)) throw new Error('the subgraph has fields this tool does not know');

  const tensors = read.tables(subgraph, SUBGRAPH.tensors);
  const outputs = read.ints(subgraph, SUBGRAPH.outputs);
  const source = tensors[outputs[0]];
  if (source === undefined) throw new Error('the model has no output 0');
  const sourceShape = read.ints(source, TENSOR.shape);
  const sourceName = read.string(source, TENSOR.name) ?? 'output_0';
  if (read.int8(source, TENSOR.type) !== TENSOR_TYPE.FLOAT32) throw new Error('output 0 is not float32');
  const width = sourceShape.at(-1) ?? 0;
  if (!indices.every((index) => Number.isInteger(index) && index >= 0 && index < width)) {
    throw new Error(`every gather index must lie in 0…${width - 1}`);
  }
  const buffers = read.tables(model, MODEL.buffers);
  const emptyBuffer = buffers.findIndex((buffer) => !read.has(buffer, BUFFER.data));
  if (emptyBuffer < 0) throw new Error('the model has no empty buffer for a computed tensor');
  const operatorCodes = read.tables(model, MODEL.operatorCodes);
  const opcodeOf = (code) => Math.max(read.int8(code, OPERATOR_CODE.deprecatedBuiltinCode), read.int(code, OPERATOR_CODE.builtinCode));
  const existingGather = operatorCodes.findIndex((code) => opcodeOf(code) === BUILTIN_GATHER && !read.has(code, OPERATOR_CODE.customCode));

  const builder = new Builder(original.length + 4 * indices.length + 4096);
  builder.prep(16, original.length);
  const originalStart = builder.createByteVector(original) - 4;
  /** Builder offset of an object at `position` in the original bytes. */
  const reuse = (position) => originalStart - position;

  // The index data, aligned to 16 bytes like the builder's own buffers.
  const indexBytes = new Uint8Array(new Int32Array(indices).buffer);
  builder.prep(16, indexBytes.length);
  const indexData = builder.createByteVector(indexBytes);
  const indexBuffer = addTable(builder, 3, () => builder.addFieldOffset(BUFFER.data, indexData, 0));
  const bufferVector = addOffsetVector(builder, [...buffers.map(reuse), indexBuffer]);

  let gatherCode = existingGather;
  let codeVector = reuse(read.target(model, MODEL.operatorCodes));
  if (gatherCode < 0) {
    const code = addTable(builder, 4, () => {
      builder.addFieldInt8(OPERATOR_CODE.deprecatedBuiltinCode, BUILTIN_GATHER, 0);
      builder.addFieldInt32(OPERATOR_CODE.version, 1, 1);
      builder.addFieldInt32(OPERATOR_CODE.builtinCode, BUILTIN_GATHER, 0);
    });
    codeVector = addOffsetVector(builder, [...operatorCodes.map(reuse), code]);
    gatherCode = operatorCodes.length;
  }

  const tensor = (name, shape, type, buffer) => {
    const nameOffset = builder.createString(name);
    const shapeOffset = addIntVector(builder, shape);
    return addTable(builder, 4, () => {
      builder.addFieldOffset(TENSOR.shape, shapeOffset, 0);
      builder.addFieldInt8(TENSOR.type, type, -1);
      builder.addFieldInt32(TENSOR.buffer, buffer, -1);
      builder.addFieldOffset(TENSOR.name, nameOffset, 0);
    });
  };
  const indexTensorIndex = tensors.length;
  const resultTensorIndex = tensors.length + 1;
  const indexTensor = tensor(`${sourceName}_gather_indices`, [indices.length], TENSOR_TYPE.INT32, buffers.length);
  const resultTensor = tensor(`${sourceName}_gathered`, [...sourceShape.slice(0, -1), indices.length], TENSOR_TYPE.FLOAT32, emptyBuffer);
  const tensorVector = addOffsetVector(builder, [...tensors.map(reuse), indexTensor, resultTensor]);

  const options = addTable(builder, 2, () => builder.addFieldInt32(GATHER_OPTIONS.axis, sourceShape.length - 1, 0));
  const operatorInputs = addIntVector(builder, [outputs[0], indexTensorIndex]);
  const operatorOutputs = addIntVector(builder, [resultTensorIndex]);
  const gather = addTable(builder, 5, () => {
    builder.addFieldInt32(OPERATOR.opcodeIndex, gatherCode, 0);
    builder.addFieldOffset(OPERATOR.inputs, operatorInputs, 0);
    builder.addFieldOffset(OPERATOR.outputs, operatorOutputs, 0);
    builder.addFieldInt8(OPERATOR.builtinOptionsType, BUILTIN_OPTIONS_GATHER, 0);
    builder.addFieldOffset(OPERATOR.builtinOptions, options, 0);
  });
  const operatorVector = addOffsetVector(builder, [...read.tables(subgraph, SUBGRAPH.operators).map(reuse), gather]);
  const outputVector = addIntVector(builder, [resultTensorIndex, ...outputs.slice(1)]);
  const newSubgraph = addTable(builder, SUBGRAPH_FIELD_COUNT, () => {
    builder.addFieldOffset(SUBGRAPH.tensors, tensorVector, 0);
    builder.addFieldOffset(SUBGRAPH.inputs, reuse(read.target(subgraph, SUBGRAPH.inputs)), 0);
    builder.addFieldOffset(SUBGRAPH.outputs, outputVector, 0);
    builder.addFieldOffset(SUBGRAPH.operators, operatorVector, 0);
    if (read.has(subgraph, SUBGRAPH.name)) builder.addFieldOffset(SUBGRAPH.name, reuse(read.target(subgraph, SUBGRAPH.name)), 0);
  });
  const subgraphVector = addOffsetVector(builder, [newSubgraph, ...otherSubgraphs.map(reuse)]);

  const root = addTable(builder, MODEL_FIELD_COUNT, () => {
    builder.addFieldInt32(MODEL.version, read.int(model, MODEL.version), 0);
    builder.addFieldOffset(MODEL.operatorCodes, codeVector, 0);
    builder.addFieldOffset(MODEL.subgraphs, subgraphVector, 0);
    builder.addFieldOffset(MODEL.buffers, bufferVector, 0);
    for (const slot of [MODEL.description, MODEL.metadataBuffer, MODEL.metadata]) {
      const target = read.target(model, slot);
      if (target) builder.addFieldOffset(slot, reuse(target), 0);
    }
  });
  builder.finish(root, 'TFL3');
  return builder.asUint8Array().slice();
}

/** Output tensors of the first subgraph as `{ name, shape }`, for tests and checks. */
export function modelOutputs(modelBytes) {
  const bb = new ByteBuffer(new Uint8Array(modelBytes));
  const read = tableReader(bb);
  const [subgraph] = read.tables(bb.readUint32(0), MODEL.subgraphs);
  const tensors = read.tables(subgraph, SUBGRAPH.tensors);
  return read.ints(subgraph, SUBGRAPH.outputs).map((index) => ({
    name: read.string(tensors[index], TENSOR.name),
    shape: read.ints(tensors[index], TENSOR.shape),
  }));
}

// ---------------------------------------------------------------------------------------------
// Stored zip

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** 1980-01-01 00:00, the earliest DOS date: a fixed stamp keeps the output byte-identical. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** Data offsets are padded to this, so the models' flatbuffers stay aligned inside the bundle. */
const DATA_ALIGNMENT = 64;
/** Extra-field id of the padding (the one Android's zipalign uses). */
const PADDING_EXTRA_ID = 0xd935;

/**
 * A zip of uncompressed ("stored") entries, in the given order, with fixed timestamps and each
 * entry's data aligned to 64 bytes (padding in the local header's extra field). MediaPipe reads
 * model files straight out of a `.task` bundle and refuses deflated entries.
 *
 * @param {{ name: string, data: Uint8Array }[]} entries
 * @returns {Uint8Array}
 */
export function writeStoredZip(entries) {
  const encoder = new TextEncoder();
  const parts = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = encoder.encode(name);
    const crc = crc32(data);
    const headerEnd = offset + 30 + nameBytes.length;
    let padding = (DATA_ALIGNMENT - (headerEnd % DATA_ALIGNMENT)) % DATA_ALIGNMENT;
    // An extra field needs 4 bytes for its id and length.
    if (padding > 0 && padding < 4) padding += DATA_ALIGNMENT;
    const local = new DataView(new ArrayBuffer(30 + nameBytes.length + padding));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 10, true); // version needed: 1.0, stored
    local.setUint16(6, 0, true); // flags
    local.setUint16(8, 0, true); // method: stored
    local.setUint16(10, DOS_TIME, true);
    local.setUint16(12, DOS_DATE, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, nameBytes.length, true);
    local.setUint16(28, padding, true);
    new Uint8Array(local.buffer).set(nameBytes, 30);
    if (padding > 0) {
      local.setUint16(30 + nameBytes.length, PADDING_EXTRA_ID, true);
      local.setUint16(32 + nameBytes.length, padding - 4, true);
    }
    parts.push(new Uint8Array(local.buffer), data);

    const entry = new DataView(new ArrayBuffer(46 + nameBytes.length));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint16(4, 10, true); // version made by: 1.0, MS-DOS attributes
    entry.setUint16(6, 10, true);
    entry.setUint16(8, 0, true);
    entry.setUint16(10, 0, true);
    entry.setUint16(12, DOS_TIME, true);
    entry.setUint16(14, DOS_DATE, true);
    entry.setUint32(16, crc, true);
    entry.setUint32(20, data.length, true);
    entry.setUint32(24, data.length, true);
    entry.setUint16(28, nameBytes.length, true);
    // extra length, comment length, disk number, internal and external attributes: 0
    entry.setUint32(42, offset, true);
    new Uint8Array(entry.buffer).set(nameBytes, 46);
    central.push(new Uint8Array(entry.buffer));
    offset += local.byteLength + data.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of all) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Reads a stored zip back: `{ name, data, dataOffset, method }` per central-directory entry. For tests;
 * it checks the CRC of each entry.
 */
export function readStoredZip(zipBytes) {
  const bytes = new Uint8Array(zipBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const endAt = bytes.length - 22;
  if (view.getUint32(endAt, true) !== 0x06054b50) throw new Error('no end-of-central-directory record (or a zip comment)');
  const count = view.getUint16(endAt + 10, true);
  let at = view.getUint32(endAt + 16, true);
  const decoder = new TextDecoder();
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('bad central-directory entry');
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const dataOffset = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(dataOffset, dataOffset + size);
    if (crc32(data) !== crc) throw new Error(`CRC mismatch in ${name}`);
    entries.push({ name, data, dataOffset, method });
    at += 46 + skip;
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------

/** The names FaceLandmarker looks up inside its `.task` bundle. */
export const TASK_ENTRIES = {
  detector: 'face_detector.tflite',
  landmarks: 'face_landmarks_detector.tflite',
  geometry: 'geometry_pipeline_metadata_landmarks.binarypb',
};

/**
 * The FaceLandmarker bundle.
 *
 * @param {{ detector: Uint8Array, packedData: Uint8Array, packedLoader: string,
 *           addMetadata: (model: Uint8Array) => Uint8Array }} inputs
 *   `detector`: the prepared short-range detector; `packedData`/`packedLoader`: face_mesh's packed
 *   assets and their loader JS; `addMetadata`: writes the landmark model's TFLite metadata (0/255).
 */
export function buildFaceLandmarkerTask({ detector, packedData, packedLoader, addMetadata }) {
  const files = extractPackedAssets(packedData, packedLoader);
  const landmarkModel = files.get('face_landmark.tflite');
  const geometry = files.get(TASK_ENTRIES.geometry);
  if (!landmarkModel || !geometry) throw new Error('face_mesh packed assets lack face_landmark.tflite or the geometry metadata');
  const landmarks = addMetadata(appendLandmarkGather(landmarkModel, landmarkGatherIndices()));
  return writeStoredZip([
    { name: TASK_ENTRIES.detector, data: detector },
    { name: TASK_ENTRIES.landmarks, data: landmarks },
    { name: TASK_ENTRIES.geometry, data: geometry },
  ]);
}
