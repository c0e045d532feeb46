/**
 * startServer's part for the Alibaba-gateway vendors: a FaceID and a face-image mock on loopback
 * for each one without a URL. Not when demo mode is explicitly off: a production endpoint that
 * forgot FACEKIT_FACEID_URL must answer VENDOR_UNAVAILABLE, never pass a liveness check on a mock.
 */
import type { FaceIdConfig } from '../vendors/faceid/client.js';
import type { FaceImageConfig } from '../vendors/face-image/client.js';
import { startFaceIdMock, type FaceIdMock } from './faceid.js';
import { startFaceImageMock, type FaceImageMock } from './face-image.js';

export async function startGatewayMocks(
  given: { faceid?: FaceIdConfig; faceImage?: FaceImageConfig; demo?: boolean },
  mocks: { faceid?: FaceIdMock; faceImage?: FaceImageMock },
): Promise<{ faceid?: FaceIdConfig; faceImage?: FaceImageConfig }> {
  let faceid = given.faceid;
  let faceImage = given.faceImage;
  if (given.demo === false) return { faceid, faceImage };
  if (!faceid?.url) {
    mocks.faceid = await startFaceIdMock({ port: 0 });
    faceid = { ...faceid, url: mocks.faceid.url, appKey: mocks.faceid.appKey, appSecret: mocks.faceid.appSecret };
  }
  if (!faceImage?.url) {
    mocks.faceImage = await startFaceImageMock({ port: 0 });
    faceImage = { ...faceImage, url: mocks.faceImage.url, appKey: mocks.faceImage.appKey, appSecret: mocks.faceImage.appSecret };
  }
  return { faceid, faceImage };
}
