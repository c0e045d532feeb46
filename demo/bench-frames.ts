// Frames for `npm run bench`, made the same way for our detector and for the peers: each real
// photo is drawn once into a 640×480 canvas, and each LFW crop is decoded as it is.

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;
/** The name of the fake camera's frames among the sources (the photo `camera.png` is another). */
export const CAMERA_SOURCE = 'camera-video';

/** One photo drawn into the benchmark's frame size. */
export interface BenchFrame {
  name: string;
  canvas: HTMLCanvasElement;
}

/** Timings and faces found by one detector on one source. */
export interface SourceRun {
  source: string;
  timesMs: number[];
  /** Faces found in the last run on this source. */
  faces: number;
}

/** Faces found per LFW crop (index order); a crop counts as detected when the value is ≥ 1. */
export interface LfwCounts {
  faces: number[];
  nonFaces: number[];
}

async function fetchBitmap(url: string): Promise<ImageBitmap> {
  // The photos may come from the bench's own static server (another loopback origin, with CORS).
  const response = await fetch(url, { mode: 'cors', cache: 'force-cache' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return createImageBitmap(await response.blob());
}

/**
 * The photo scaled to fit 640×480 whole (no face is cut off), centred on mid grey: a flat
 * border that no detector takes for a face.
 */
export async function loadFrame(name: string, url: string): Promise<BenchFrame> {
  const bitmap = await fetchBitmap(url);
  const canvas = document.createElement('canvas');
  canvas.width = FRAME_WIDTH;
  canvas.height = FRAME_HEIGHT;
  const context = canvas.getContext('2d', { willReadFrequently: false });
  if (!context) throw new Error('no 2D canvas');
  context.fillStyle = '#808080';
  context.fillRect(0, 0, FRAME_WIDTH, FRAME_HEIGHT);
  const scale = Math.min(FRAME_WIDTH / bitmap.width, FRAME_HEIGHT / bitmap.height);
  const width = Math.round(bitmap.width * scale);
  const height = Math.round(bitmap.height * scale);
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, Math.round((FRAME_WIDTH - width) / 2), Math.round((FRAME_HEIGHT - height) / 2), width, height);
  bitmap.close();
  return { name, canvas };
}

/** An LFW crop as an image element (the input type every detector takes), decoded. */
export async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.crossOrigin = 'anonymous';
  image.decoding = 'sync';
  image.src = url;
  await image.decode();
  return image;
}

/** Waits one animation frame, so each timed run starts on a fresh task, as a frame loop does. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
