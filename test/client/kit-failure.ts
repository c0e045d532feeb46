import { expect } from '@open-wc/testing';
import { FacekitError } from '../../packages/core/src/client/index.js';

/** Awaits a promise that must reject with a FacekitError, and returns that error. */
export async function kitFailure(promise: Promise<unknown>): Promise<FacekitError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(FacekitError);
    return error as FacekitError;
  }
  throw new Error('expected a rejection');
}
