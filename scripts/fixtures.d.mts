/** Types of scripts/fixtures.mjs, for TypeScript tests that import it. */
export interface FixturesManifest {
  version: number;
  /** Absolute folder of the fixtures (.cache/fixtures). */
  root: string;
  /** Where a dev server rooted at the repository serves them: `/.cache/fixtures/`. */
  urlPath: string;
  /** Absolute paths. facereg.jpg holds 4 faces; coffee.png none. */
  photos: { astronaut: string; face_swapped: string; facereg: string; camera: string; coffee: string };
  /** Absolute paths of the y4m files for `--use-file-for-fake-video-capture`. */
  videos: { face: string; noface: string };
  video: { width: number; height: number; fps: number; frames: number };
  /** 100 paths each: the 25 px crops and their 4× (bilinear) versions. */
  lfw: { faces: string[]; nonFaces: string[]; facesLarge: string[]; nonFacesLarge: string[] };
  lfwUpscale: number;
}

export declare const fixturesDir: string;
export declare function ensureFixtures(): Promise<FixturesManifest>;
export declare function readNpy(buffer: Uint8Array): { shape: number[]; values: Uint8ClampedArray };
