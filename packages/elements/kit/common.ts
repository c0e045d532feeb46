/** What every chunk of the script-tag kit gives the `facekit` global besides its element. */
export { maskIdNumber } from '../src/shared/mask.js';
export { createWeChatImageSource } from '@facekit/core';
