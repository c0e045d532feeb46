export * from './types.js';
export * from './errors.js';
export * from './messages.js';
export * from './id-photo-specs.js';
export * from './quality.js';
export * from './framing.js';
