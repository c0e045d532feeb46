import { expect } from '@open-wc/testing';
import {
  createWeChatImageSource,
  localImgDataToBlob,
  normaliseLocalImgData,
  type WeChatJsSdk,
} from '../../packages/core/src/client/wechat-jssdk.js';
import { readImageFile } from '../../packages/core/src/client/image-file.js';
import { kitFailure } from './kit-failure.js';

/** A real JPEG, as base64 without a prefix. */
async function jpegBase64(): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = 8;
  canvas.height = 6;
  canvas.getContext('2d')!.fillRect(0, 0, 8, 6);
  const dataUrl = canvas.toDataURL('image/jpeg');
  return dataUrl.slice(dataUrl.indexOf(',') + 1);
}

/** A stubbed `wx` answering with `localData`, as the JS-SDK does on each platform. */
function stubWx(localData: string, outcome: 'success' | 'cancel' | 'fail' = 'success'): WeChatJsSdk & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    chooseImage(options) {
      calls.push(`chooseImage:${options.count}:${options.sourceType?.join('+')}`);
      setTimeout(() => {
        if (outcome === 'success') options.success?.({ localIds: ['wxLocalResource://photo-1'] });
        else if (outcome === 'cancel') options.cancel?.();
        else options.fail?.({ errMsg: 'chooseImage:fail, the permission value is offline verifying' });
      });
    },
    getLocalImgData(options) {
      calls.push(`getLocalImgData:${options.localId}`);
      setTimeout(() => options.success?.({ localData }));
    },
  };
}

describe('WeChat JS-SDK adapter', () => {
  it('normalises iOS data (prefix with "image/jgp") and Android data (no prefix, wrapped)', async () => {
    const base64 = await jpegBase64();
    expect(normaliseLocalImgData(`data:image/jgp;base64,${base64}`)).to.deep.equal({ base64, type: 'image/jpeg' });
    const wrapped = base64.replace(/(.{76})/g, '$1\n');
    expect(normaliseLocalImgData(wrapped)).to.deep.equal({ base64, type: 'image/jpeg' });
    expect(normaliseLocalImgData('iVBORw0KGgoAAAANSUhEUg==').type).to.equal('image/png');
    expect(normaliseLocalImgData('data:image/png;base64,/9j/4AAQ').type).to.equal('image/jpeg', 'the bytes win over the label');
  });

  it('gives a decodable Blob on iOS and on Android', async () => {
    const base64 = await jpegBase64();
    for (const localData of [`data:image/jgp;base64,${base64}`, base64]) {
      const wx = stubWx(localData);
      const photo = await createWeChatImageSource(wx).pick();
      expect(photo?.type).to.equal('image/jpeg');
      const bitmap = await readImageFile(photo!);
      expect([bitmap.width, bitmap.height]).to.deep.equal([8, 6]);
      bitmap.close();
      expect(wx.calls).to.deep.equal(['chooseImage:1:camera+album', 'getLocalImgData:wxLocalResource://photo-1']);
    }
  });

  it('resolves null on cancel, and names a JS-SDK failure', async () => {
    expect(await createWeChatImageSource(stubWx('', 'cancel')).pick()).to.equal(null);
    const failure = await kitFailure(createWeChatImageSource(stubWx('', 'fail')).pick());
    expect(failure.code).to.equal('UNSUPPORTED');
    expect(failure.message).to.contain('offline verifying');
    const unreadable = (() => {
      try {
        localImgDataToBlob('data:image/jpeg;base64,not base64 at all!');
        return null;
      } catch (error) {
        return error as { code?: string };
      }
    })();
    expect(unreadable?.code).to.equal('FILE_UNREADABLE');
    expect(() => createWeChatImageSource({} as WeChatJsSdk)).to.throw(TypeError);
  });
});
