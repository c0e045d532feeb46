#!/usr/bin/env node
// Build step for the vision assets: writes the face detector and selfie segmentation models with TFLite Support metadata
// (MediaPipe Tasks refuses float models without NormalizationOptions) and copies the tasks-vision
// wasm files.
//
//   node scripts/prepare-models.mjs [outDir]        default outDir: build/assets
//   import { prepareModels, addImageMetadata } from './prepare-models.mjs';
//
// Output layout: <outDir>/models/face_detector_{short,full}.tflite, <outDir>/models/selfie_segmenter.tflite,
// <outDir>/models/face_landmarker.task (made by lib/face-landmarker-task.mjs from @mediapipe/face_mesh),
// <outDir>/wasm/*.
// The output is byte-identical for the same inputs. Outputs are rebuilt only when a source, this
// script or the flatbuffers package changed (recorded in <outDir>/.prepared.json).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Builder, ByteBuffer } from 'flatbuffers';
import { buildFaceLandmarkerTask } from './lib/face-landmarker-task.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_OUT_DIR = join(repoRoot, 'build', 'assets');
const STAMP_FILE = '.prepared.json';

/** Detectors take RGB in [-1, 1]: (x − 127.5) / 127.5. Segmentation and landmarks use 0/255. */
const DETECTOR_NORMALIZATION = { mean: 127.5, std: 127.5 };
/** Selfie segmentation takes RGB in [0, 1]: x / 255. */
const SEGMENTATION_NORMALIZATION = { mean: 0, std: 255 };

export const MODELS = [
  {
    output: 'models/face_detector_short.tflite',
    source: ['@mediapipe/face_detection', 'face_detection_short_range.tflite'],
    name: 'face_detector_short',
    description: 'BlazeFace short range (faces within about 2 m, 128×128 input)',
    normalization: DETECTOR_NORMALIZATION,
  },
  {
    output: 'models/face_detector_full.tflite',
    source: ['@mediapipe/face_detection', 'face_detection_full_range.tflite'],
    name: 'face_detector_full',
    description: 'BlazeFace full range (small faces within about 5 m, 192×192 input)',
    normalization: DETECTOR_NORMALIZATION,
  },
  {
    output: 'models/selfie_segmenter.tflite',
    source: ['@mediapipe/selfie_segmentation', 'selfie_segmentation.tflite'],
    name: 'selfie_segmenter',
    description: 'Selfie segmentation, general model (person confidence, 256×256 input)',
    normalization: SEGMENTATION_NORMALIZATION,
  },
];

/**
 * FaceLandmarker's bundle: the prepared short-range detector plus face_mesh's 468-point landmark
 * model (metadata 0/255, output padded to 478 points by a GATHER) and its geometry metadata.
 */
export const LANDMARKER_TASK = {
  output: 'models/face_landmarker.task',
  package: '@mediapipe/face_mesh',
  data: 'face_mesh_solution_packed_assets.data',
  loader: 'face_mesh_solution_packed_assets_loader.js',
  detector: MODELS[0],
  normalization: { mean: 0, std: 255 },
};

const WASM_PACKAGE = '@mediapipe/tasks-vision';

// Field slots of the TFLite schema (tensorflow/lite/schema/schema.fbs).
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 };
const MODEL_FIELD_COUNT = 8;
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2 };
const TENSOR = { shape: 0, name: 3 };
const BUFFER = { data: 0, offset: 1, size: 2 };
const METADATA = { name: 0, buffer: 1 };
/** The name TFLite Support and MediaPipe look up, and its flatbuffer's file identifier. */
const METADATA_NAME = 'TFLITE_METADATA';
const METADATA_IDENTIFIER = 'M001';
const MODEL_IDENTIFIER = 'TFL3';

// Field slots of the metadata schema (tensorflow_lite_support/metadata/metadata_schema.fbs).
const MODEL_METADATA = { name: 0, description: 1, version: 2, subgraphMetadata: 3, minParserVersion: 7 };
const SUBGRAPH_METADATA = { inputTensorMetadata: 2, outputTensorMetadata: 3 };
const TENSOR_METADATA = { name: 0, description: 1, content: 3, processUnits: 4, stats: 5 };
const CONTENT = { propertiesType: 0, properties: 1 };
const IMAGE_PROPERTIES = { colorSpace: 0, defaultSize: 1 };
const IMAGE_SIZE = { width: 0, height: 1 };
const PROCESS_UNIT = { optionsType: 0, options: 1 };
const NORMALIZATION_OPTIONS = { mean: 0, std: 1 };
const STATS = { max: 0, min: 1 };
const CONTENT_PROPERTIES_IMAGE = 2;
const PROCESS_UNIT_NORMALIZATION = 1;
const COLOR_SPACES = { RGB: 1, GRAYSCALE: 2 };
/** Every field written here exists since metadata schema 1.0.0. */
const MIN_PARSER_VERSION = '1.0.0';

/** A read-only view of a flatbuffer table: field slot → absolute position. */
class TableReader {
  constructor(bb, position) {
    this.bb = bb;
    this.position = position;
  }
  has(slot) {
    return this.bb.__offset(this.position, 4 + 2 * slot) !== 0;
  }
  fieldPosition(slot) {
    const offset = this.bb.__offset(this.position, 4 + 2 * slot);
    return offset ? this.position + offset : 0;
  }
  /** Absolute position of the object a reference field points at, or 0. */
  target(slot) {
    const at = this.fieldPosition(slot);
    return at ? this.bb.__indirect(at) : 0;
  }
  uint32(slot, fallback = 0) {
    const at = this.fieldPosition(slot);
    return at ? this.bb.readUint32(at) : fallback;
  }
  string(slot) {
    const at = this.fieldPosition(slot);
    return at ? this.bb.__string(at) : null;
  }
  /** Absolute positions of the tables a vector of references points at. */
  tables(slot) {
    const at = this.fieldPosition(slot);
    if (!at) return [];
    const start = this.bb.__vector(at);
    const length = this.bb.__vector_len(at);
    return Array.from({ length }, (_, i) => this.bb.__indirect(start + 4 * i));
  }
  ints(slot) {
    const at = this.fieldPosition(slot);
    if (!at) return [];
    const start = this.bb.__vector(at);
    return Array.from({ length: this.bb.__vector_len(at) }, (_, i) => this.bb.readInt32(start + 4 * i));
  }
  table(position) {
    return new TableReader(this.bb, position);
  }
}

function readModel(bytes) {
  const bb = new ByteBuffer(bytes);
  if (bb.getBufferIdentifier() !== MODEL_IDENTIFIER) throw new Error('not a TFLite model (file identifier is not TFL3)');
  return new TableReader(bb, bb.readUint32(0));
}

/** Names and shapes of the first subgraph's inputs and outputs. */
function describeTensors(model) {
  const [subgraphPosition] = model.tables(MODEL.subgraphs);
  if (!subgraphPosition) throw new Error('the model has no subgraph');
  const subgraph = model.table(subgraphPosition);
  const tensors = subgraph.tables(SUBGRAPH.tensors).map((position) => {
    const tensor = model.table(position);
    return { name: tensor.string(TENSOR.name) ?? '', shape: tensor.ints(TENSOR.shape) };
  });
  return {
    inputs: subgraph.ints(SUBGRAPH.inputs).map((index) => tensors[index]),
    outputs: subgraph.ints(SUBGRAPH.outputs).map((index) => tensors[index]),
  };
}

function addFloatVector(builder, values) {
  builder.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) builder.addFloat32(values[i]);
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

function imageTensorMetadata(builder, tensor, { mean, std, colorSpace }) {
  const [, height = 0, width = 0] = tensor.shape;
  const name = builder.createString(tensor.name || 'image');
  const description = builder.createString('Input image, normalised as (x - mean) / std per channel.');
  const size = addTable(builder, 2, () => {
    builder.addFieldInt32(IMAGE_SIZE.width, width, 0);
    builder.addFieldInt32(IMAGE_SIZE.height, height, 0);
  });
  const imageProperties = addTable(builder, 2, () => {
    builder.addFieldInt8(IMAGE_PROPERTIES.colorSpace, COLOR_SPACES[colorSpace], 0);
    builder.addFieldOffset(IMAGE_PROPERTIES.defaultSize, size, 0);
  });
  const content = addTable(builder, 3, () => {
    builder.addFieldInt8(CONTENT.propertiesType, CONTENT_PROPERTIES_IMAGE, 0);
    builder.addFieldOffset(CONTENT.properties, imageProperties, 0);
  });
  const meanVector = addFloatVector(builder, [mean]);
  const stdVector = addFloatVector(builder, [std]);
  const normalization = addTable(builder, 2, () => {
    builder.addFieldOffset(NORMALIZATION_OPTIONS.mean, meanVector, 0);
    builder.addFieldOffset(NORMALIZATION_OPTIONS.std, stdVector, 0);
  });
  const processUnit = addTable(builder, 2, () => {
    builder.addFieldInt8(PROCESS_UNIT.optionsType, PROCESS_UNIT_NORMALIZATION, 0);
    builder.addFieldOffset(PROCESS_UNIT.options, normalization, 0);
  });
  const processUnits = addOffsetVector(builder, [processUnit]);
  // The range the normalised pixels take, for tools that show or check the metadata.
  const maxVector = addFloatVector(builder, [(255 - mean) / std]);
  const minVector = addFloatVector(builder, [(0 - mean) / std]);
  const stats = addTable(builder, 2, () => {
    builder.addFieldOffset(STATS.max, maxVector, 0);
    builder.addFieldOffset(STATS.min, minVector, 0);
  });
  return addTable(builder, 7, () => {
    builder.addFieldOffset(TENSOR_METADATA.name, name, 0);
    builder.addFieldOffset(TENSOR_METADATA.description, description, 0);
    builder.addFieldOffset(TENSOR_METADATA.content, content, 0);
    builder.addFieldOffset(TENSOR_METADATA.processUnits, processUnits, 0);
    builder.addFieldOffset(TENSOR_METADATA.stats, stats, 0);
  });
}

function namedTensorMetadata(builder, tensor) {
  const name = builder.createString(tensor.name);
  return addTable(builder, 7, () => builder.addFieldOffset(TENSOR_METADATA.name, name, 0));
}

/** The ModelMetadata flatbuffer (identifier M001) for a model whose first 4-D input is an image. */
function buildImageMetadata(tensors, options) {
  const imageIndex = tensors.inputs.findIndex((tensor) => tensor.shape.length === 4);
  if (imageIndex < 0) throw new Error('the model has no 4-D image input');
  const builder = new Builder(1024);
  const inputs = tensors.inputs.map((tensor, index) =>
    index === imageIndex ? imageTensorMetadata(builder, tensor, options) : namedTensorMetadata(builder, tensor),
  );
  const outputs = tensors.outputs.map((tensor) => namedTensorMetadata(builder, tensor));
  const inputVector = addOffsetVector(builder, inputs);
  const outputVector = addOffsetVector(builder, outputs);
  const subgraph = addTable(builder, 7, () => {
    builder.addFieldOffset(SUBGRAPH_METADATA.inputTensorMetadata, inputVector, 0);
    builder.addFieldOffset(SUBGRAPH_METADATA.outputTensorMetadata, outputVector, 0);
  });
  const subgraphs = addOffsetVector(builder, [subgraph]);
  const optionalString = (text) => (text ? builder.createString(text) : 0);
  const name = optionalString(options.name);
  const description = optionalString(options.description);
  const version = optionalString(options.version);
  const minParserVersion = builder.createString(MIN_PARSER_VERSION);
  const root = addTable(builder, 8, () => {
    builder.addFieldOffset(MODEL_METADATA.name, name, 0);
    builder.addFieldOffset(MODEL_METADATA.description, description, 0);
    builder.addFieldOffset(MODEL_METADATA.version, version, 0);
    builder.addFieldOffset(MODEL_METADATA.subgraphMetadata, subgraphs, 0);
    builder.addFieldOffset(MODEL_METADATA.minParserVersion, minParserVersion, 0);
  });
  builder.finish(root, METADATA_IDENTIFIER);
  return builder.asUint8Array().slice();
}

/**
 * Returns a copy of a TFLite model with TFLite Support metadata for its image input: RGB (or
 * grayscale) ImageProperties and NormalizationOptions `mean`/`std` (one value for all channels).
 *
 * The original bytes are kept unchanged at the end of the new file. In front of them sits a new root
 * `Model` table that points at every original object (operator codes, subgraphs, buffers, …) and adds
 * one buffer holding the metadata flatbuffer plus a `metadata` entry named TFLITE_METADATA for it.
 * An earlier TFLITE_METADATA entry is dropped, so the function can be applied again.
 *
 * @param {Uint8Array} modelBytes
 * @param {{ mean: number, std: number, colorSpace?: 'RGB' | 'GRAYSCALE', name?: string, description?: string, version?: string }} options
 * @returns {Uint8Array}
 */
export function addImageMetadata(modelBytes, options) {
  const { mean, std } = options;
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std === 0) throw new Error('mean and std must be finite, std not 0');
  const original = new Uint8Array(modelBytes);
  const model = readModel(original);
  if (model.has(MODEL_FIELD_COUNT)) throw new Error('the model has fields this tool does not know; refusing to drop them');
  const metadataBytes = buildImageMetadata(describeTensors(model), {
    colorSpace: 'RGB',
    name: '',
    description: '',
    version: '',
    ...options,
  });

  const builder = new Builder(original.length + metadataBytes.length + 4096);
  // Original first: the builder writes back to front, so it ends up last. Aligned to 16 bytes like
  // its own buffers, so every original object keeps its alignment.
  builder.prep(16, original.length);
  const originalStart = builder.createByteVector(original) - 4;
  /** Builder offset (measured from the end) of an object at `position` in the original bytes. */
  const reuse = (position) => originalStart - position;

  const originalBuffers = model.tables(MODEL.buffers);
  for (const position of originalBuffers) {
    const buffer = model.table(position);
    if (buffer.has(BUFFER.offset) || buffer.has(BUFFER.size)) {
      throw new Error('the model keeps buffers outside its flatbuffer; moving it would break them');
    }
  }
  builder.prep(16, metadataBytes.length);
  const metadataData = builder.createByteVector(metadataBytes);
  const metadataBuffer = addTable(builder, 3, () => builder.addFieldOffset(BUFFER.data, metadataData, 0));
  const buffers = addOffsetVector(builder, [...originalBuffers.map(reuse), metadataBuffer]);

  const keptMetadata = model
    .tables(MODEL.metadata)
    .filter((position) => model.table(position).string(METADATA.name) !== METADATA_NAME);
  const metadataName = builder.createString(METADATA_NAME);
  const metadataEntry = addTable(builder, 2, () => {
    builder.addFieldOffset(METADATA.name, metadataName, 0);
    builder.addFieldInt32(METADATA.buffer, originalBuffers.length, 0);
  });
  const metadata = addOffsetVector(builder, [...keptMetadata.map(reuse), metadataEntry]);

  const root = addTable(builder, MODEL_FIELD_COUNT, () => {
    builder.addFieldInt32(MODEL.version, model.uint32(MODEL.version), 0);
    for (const slot of [MODEL.operatorCodes, MODEL.subgraphs, MODEL.description, MODEL.metadataBuffer, MODEL.signatureDefs]) {
      const target = model.target(slot);
      if (target) builder.addFieldOffset(slot, reuse(target), 0);
    }
    builder.addFieldOffset(MODEL.buffers, buffers, 0);
    builder.addFieldOffset(MODEL.metadata, metadata, 0);
  });
  builder.finish(root, MODEL_IDENTIFIER);
  return builder.asUint8Array().slice();
}

/**
 * Reads the TFLITE_METADATA flatbuffer of a model back: the image input's normalisation and colour
 * space. For tests and for checking a prepared model by hand.
 */
export function readImageMetadata(modelBytes) {
  const model = readModel(new Uint8Array(modelBytes));
  const entry = model.tables(MODEL.metadata).map((p) => model.table(p)).find((t) => t.string(METADATA.name) === METADATA_NAME);
  if (!entry) return null;
  const buffer = model.table(model.tables(MODEL.buffers)[entry.uint32(METADATA.buffer)]);
  const dataAt = buffer.fieldPosition(BUFFER.data);
  const bytes = model.bb.bytes().subarray(model.bb.__vector(dataAt), model.bb.__vector(dataAt) + model.bb.__vector_len(dataAt));
  const bb = new ByteBuffer(bytes);
  const root = new TableReader(bb, bb.readUint32(0));
  const floats = (table, slot) => {
    const at = table.fieldPosition(slot);
    const start = bb.__vector(at);
    return Array.from({ length: bb.__vector_len(at) }, (_, i) => bb.readFloat32(start + 4 * i));
  };
  const subgraph = root.table(root.tables(MODEL_METADATA.subgraphMetadata)[0]);
  const input = root.table(subgraph.tables(SUBGRAPH_METADATA.inputTensorMetadata)[0]);
  const content = input.table(input.target(TENSOR_METADATA.content));
  const image = content.table(content.target(CONTENT.properties));
  const unit = input.table(input.tables(TENSOR_METADATA.processUnits)[0]);
  const normalization = unit.table(unit.target(PROCESS_UNIT.options));
  return {
    identifier: bb.getBufferIdentifier(),
    name: root.string(MODEL_METADATA.name),
    minParserVersion: root.string(MODEL_METADATA.minParserVersion),
    contentPropertiesType: bb.readUint8(content.fieldPosition(CONTENT.propertiesType)),
    colorSpace: bb.readInt8(image.fieldPosition(IMAGE_PROPERTIES.colorSpace)),
    processUnitType: bb.readUint8(unit.fieldPosition(PROCESS_UNIT.optionsType)),
    mean: floats(normalization, NORMALIZATION_OPTIONS.mean),
    std: floats(normalization, NORMALIZATION_OPTIONS.std),
    inputCount: subgraph.tables(SUBGRAPH_METADATA.inputTensorMetadata).length,
    outputCount: subgraph.tables(SUBGRAPH_METADATA.outputTensorMetadata).length,
  };
}

function packageDir(name) {
  const candidates = [join(repoRoot, 'node_modules', name), join(repoRoot, 'packages', 'core', 'node_modules', name)];
  const found = candidates.find((dir) => existsSync(join(dir, 'package.json')));
  if (!found) throw new Error(`${name} is not installed (run npm install)`);
  return found;
}

function packageVersion(name) {
  return JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version;
}

/** What the outputs depend on besides their sources: this script and the flatbuffers package. */
function recipeId() {
  return createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(readFileSync(fileURLToPath(new URL('./lib/face-landmarker-task.mjs', import.meta.url))))
    .update(packageVersion('flatbuffers'))
    .digest('hex')
    .slice(0, 16);
}

function sourceFingerprint(path) {
  const stat = statSync(path);
  return `${stat.size}:${Math.trunc(stat.mtimeMs)}`;
}

function writeAtomically(path, bytes) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.partial`;
  writeFileSync(temp, bytes);
  renameSync(temp, path);
}

function readStamp(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Writes the prepared models and the wasm files into `outDir` (default build/assets) and returns
 * what it did: `{ outDir, written: string[], upToDate: string[] }` (paths relative to outDir).
 */
export async function prepareModels(outDir = DEFAULT_OUT_DIR) {
  const root = resolve(outDir);
  const stampPath = join(root, STAMP_FILE);
  const previous = readStamp(stampPath);
  const recipe = recipeId();
  const next = {};
  const written = [];
  const upToDate = [];

  const prepareDetector = (spec, source) =>
    addImageMetadata(readFileSync(source), {
      ...spec.normalization,
      name: spec.name,
      description: spec.description,
      version: `${spec.source[0]}@${packageVersion(spec.source[0])}`,
    });
  const jobs = MODELS.map((spec) => ({
    output: spec.output,
    source: join(packageDir(spec.source[0]), spec.source[1]),
    make: (source) => prepareDetector(spec, source),
  }));
  const task = LANDMARKER_TASK;
  const detectorSource = join(packageDir(task.detector.source[0]), task.detector.source[1]);
  const loaderSource = join(packageDir(task.package), task.loader);
  jobs.push({
    output: task.output,
    source: join(packageDir(task.package), task.data),
    extraSources: [loaderSource, detectorSource],
    make: (source) =>
      buildFaceLandmarkerTask({
        detector: prepareDetector(task.detector, detectorSource),
        packedData: readFileSync(source),
        packedLoader: readFileSync(loaderSource, 'utf8'),
        addMetadata: (model) =>
          addImageMetadata(model, {
            ...task.normalization,
            name: 'face_landmarks_detector',
            description: 'Face mesh, 468 landmarks (192×192 input); points 468…477 repeat eyelid points, no iris',
            version: `${task.package}@${packageVersion(task.package)}`,
          }),
      }),
  });
  const wasmDir = join(packageDir(WASM_PACKAGE), 'wasm');
  for (const file of readdirSync(wasmDir).sort()) {
    jobs.push({ output: `wasm/${file}`, source: join(wasmDir, file), make: null });
  }

  for (const job of jobs) {
    const target = join(root, job.output);
    // Extra sources (the .task's loader JS and detector) count too.
    const fingerprint = [recipe, ...[job.source, ...(job.extraSources ?? [])].map(sourceFingerprint)].join('|');
    const before = previous[job.output];
    if (before?.fingerprint === fingerprint && existsSync(target) && statSync(target).size === before.size) {
      next[job.output] = before;
      upToDate.push(job.output);
      continue;
    }
    if (job.make) {
      writeAtomically(target, job.make(job.source));
    } else {
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(job.source, `${target}.partial`);
      renameSync(`${target}.partial`, target);
    }
    next[job.output] = { fingerprint, size: statSync(target).size };
    written.push(job.output);
  }
  if (written.length || JSON.stringify(previous) !== JSON.stringify(next)) {
    writeAtomically(stampPath, `${JSON.stringify(next, null, 2)}\n`);
  }
  return { outDir: root, written, upToDate };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  try {
    const { outDir, written, upToDate } = await prepareModels(process.argv[2] ?? DEFAULT_OUT_DIR);
    const where = relative(process.cwd(), outDir) || '.';
    console.log(`prepare-models: ${written.length} written, ${upToDate.length} up to date in ${where}`);
  } catch (error) {
    console.error(`prepare-models: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
