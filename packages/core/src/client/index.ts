export * from '../shared/index.js';
export * from './assets-base.js';
export * from './camera-controller.js';
export * from './endpoint-client.js';
export * from './image-file.js';
export * from './localize-controller.js';
export * from './upload-queue.js';
export * from './vision-bridge.js';
