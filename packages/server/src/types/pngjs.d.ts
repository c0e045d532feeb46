// The parts of pngjs 7 the mocks and tests use (the package ships no types).
declare module 'pngjs' {
  export class PNG {
    constructor(options?: { width?: number; height?: number });
    width: number;
    height: number;
    /** RGBA, 8 bits per channel. */
    data: Buffer;
    static sync: {
      read(buffer: Buffer | Uint8Array): PNG;
      write(png: PNG): Buffer;
    };
  }
}
