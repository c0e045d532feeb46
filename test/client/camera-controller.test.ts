import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { CameraController, type KitCode } from '../../packages/core/src/client/index.js';
import { kitFailure } from './kit-failure.js';

class CameraHost extends LitElement {
  readonly camera = new CameraController(this);
  updates = 0;
  override render() {
    return html`${this.camera.video}`;
  }
  override updated(): void {
    this.updates++;
  }
}
customElements.define('test-camera-host', CameraHost);

const mediaDevices = navigator.mediaDevices as MediaDevices & { getUserMedia: MediaDevices['getUserMedia'] };

async function mount(): Promise<CameraHost> {
  return fixture<CameraHost>(html`<test-camera-host></test-camera-host>`);
}


function stubGetUserMedia(impl: MediaDevices['getUserMedia']): () => void {
  mediaDevices.getUserMedia = impl;
  return () => {
    delete (mediaDevices as Partial<MediaDevices>).getUserMedia;
  };
}

describe('CameraController', () => {
  it('creates an inline, muted video without autoplay', async () => {
    const host = await mount();
    const video = host.camera.video;
    expect(video.playsInline).to.equal(true);
    expect(video.muted).to.equal(true);
    expect(video.autoplay).to.equal(false);
    for (const name of ['playsinline', 'muted', 'x5-playsinline', 'webkit-playsinline']) {
      expect(video.hasAttribute(name), name).to.equal(true);
    }
    expect(host.shadowRoot!.contains(video)).to.equal(true);
    expect(host.camera.state).to.equal('idle');
  });

  it('starts live on a real (fake-device) track and stop() releases it', async () => {
    const host = await mount();
    const updatesBefore = host.updates;
    await host.camera.start();
    expect(host.camera.state).to.equal('live');
    expect(host.camera.error).to.equal(null);
    const [track] = host.camera.tracks;
    expect(track.kind).to.equal('video');
    expect(track.readyState).to.equal('live');
    const { width, height } = host.camera.size;
    expect(width).to.be.at.least(640);
    expect(height).to.be.at.least(480);
    await host.updateComplete;
    expect(host.updates).to.be.greaterThan(updatesBefore);

    const frame = await host.camera.grabFrame();
    expect(frame).to.not.equal(null);
    expect(frame!.width).to.equal(width);
    frame!.close();

    host.camera.stop();
    expect(track.readyState).to.equal('ended');
    expect(host.camera.video.srcObject).to.equal(null);
    expect(host.camera.state).to.equal('idle');
    expect(host.camera.tracks).to.have.length(0);
    expect(await host.camera.grabFrame()).to.equal(null);
  });

  it('request() asks for the camera at once; start() plays that stream, and stop() before start() releases it', async () => {
    const host = await mount();
    const original = MediaDevices.prototype.getUserMedia;
    const streams: MediaStream[] = [];
    const restore = stubGetUserMedia(async (constraints) => {
      const stream = await original.call(mediaDevices, constraints);
      streams.push(stream);
      return stream;
    });
    try {
      host.camera.request();
      host.camera.request();
      expect(host.camera.state, 'asking plays nothing').to.equal('idle');
      await host.camera.start();
      expect(host.camera.state).to.equal('live');
      expect(streams, 'one request, taken by start()').to.have.length(1);
      expect(host.camera.tracks[0]).to.equal(streams[0]!.getVideoTracks()[0]);
      host.camera.stop();

      host.camera.request();
      host.camera.stop();
      await waitUntil(() => streams.length === 2 && streams[1]!.getVideoTracks().every((track) => track.readyState === 'ended'), 'the stream asked for was not released');
      expect(host.camera.state).to.equal('idle');
    } finally {
      restore();
    }
  });

  it('asks for the user-facing camera with ideal (not exact) sizes of 640×480 or more', async () => {
    const host = await mount();
    let seen: MediaStreamConstraints | undefined;
    const original = MediaDevices.prototype.getUserMedia;
    const restore = stubGetUserMedia((constraints) => {
      seen = constraints;
      return original.call(mediaDevices, constraints);
    });
    try {
      await host.camera.start();
    } finally {
      restore();
      host.camera.stop();
    }
    const video = seen!.video as MediaTrackConstraints;
    expect(video.facingMode).to.deep.equal({ ideal: 'user' });
    expect(video.width).to.deep.equal({ ideal: 640 });
    expect(video.height).to.deep.equal({ ideal: 480 });
    expect(seen!.audio).to.equal(false);
  });

  it('releases the camera when the host leaves the page', async () => {
    const host = await mount();
    await host.camera.start();
    const [track] = host.camera.tracks;
    host.remove();
    expect(track.readyState).to.equal('ended');
    expect(host.camera.state).to.equal('idle');
  });

  const cases: Array<[string, KitCode]> = [
    ['NotAllowedError', 'CAMERA_DENIED'],
    ['SecurityError', 'CAMERA_DENIED'],
    ['NotFoundError', 'CAMERA_NOT_FOUND'],
    ['OverconstrainedError', 'CAMERA_NOT_FOUND'],
    ['NotReadableError', 'CAMERA_BUSY'],
    ['AbortError', 'CAMERA_BUSY'],
  ];
  for (const [name, code] of cases) {
    it(`maps a getUserMedia ${name} to ${code}`, async () => {
      const host = await mount();
      const restore = stubGetUserMedia(async () => {
        throw name === 'OverconstrainedError' ? new OverconstrainedError('width', 'none') : new DOMException('stubbed', name);
      });
      try {
        const error = await kitFailure(host.camera.start());
        expect(error.code).to.equal(code);
        expect(host.camera.state).to.equal('unavailable');
        expect(host.camera.error).to.equal(error);
      } finally {
        restore();
      }
    });
  }

  it('retries with any camera when ideal constraints are refused', async () => {
    const host = await mount();
    const original = MediaDevices.prototype.getUserMedia;
    let calls = 0;
    const restore = stubGetUserMedia(async (constraints) => {
      calls++;
      if (calls === 1) throw new OverconstrainedError('facingMode', 'none');
      return original.call(mediaDevices, constraints);
    });
    try {
      await host.camera.start();
      expect(calls).to.equal(2);
      expect(host.camera.state).to.equal('live');
    } finally {
      restore();
      host.camera.stop();
    }
  });

  it('reports UNSUPPORTED without mediaDevices', async () => {
    const host = await mount();
    Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
    try {
      const error = await kitFailure(host.camera.start());
      expect(error.code).to.equal('UNSUPPORTED');
      expect(host.camera.state).to.equal('unavailable');
    } finally {
      delete (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
    }
    expect(navigator.mediaDevices).to.exist;
  });

  it('waits for a tap when play() is refused, and resume() goes live', async () => {
    const host = await mount();
    const video = host.camera.video;
    video.play = () => Promise.reject(new DOMException('autoplay refused', 'NotAllowedError'));
    await host.camera.start();
    expect(host.camera.state).to.equal('needs-tap');
    expect(host.camera.tracks[0].readyState).to.equal('live');
    expect(await host.camera.grabFrame()).to.equal(null);

    // Still refused: the state stays, nothing throws.
    const [track] = host.camera.tracks;
    await host.camera.resume();
    expect(host.camera.state).to.equal('needs-tap');

    delete (video as Partial<HTMLVideoElement>).play;
    await host.camera.resume();
    expect(host.camera.state).to.equal('live');
    expect(host.camera.tracks[0]).to.equal(track);
    host.camera.stop();
  });

  it('start() while waiting for a tap plays the open stream instead of reopening the camera', async () => {
    const host = await mount();
    const video = host.camera.video;
    video.play = () => Promise.reject(new DOMException('autoplay refused', 'NotAllowedError'));
    await host.camera.start();
    const [track] = host.camera.tracks;
    delete (video as Partial<HTMLVideoElement>).play;
    await host.camera.start();
    expect(host.camera.state).to.equal('live');
    expect(host.camera.tracks[0]).to.equal(track);
    host.camera.stop();
  });

  it('stop() during start() leaves nothing open', async () => {
    const host = await mount();
    let opened: MediaStream | undefined;
    const original = MediaDevices.prototype.getUserMedia;
    const restore = stubGetUserMedia(async (constraints) => {
      opened = await original.call(mediaDevices, constraints);
      return opened;
    });
    try {
      const starting = host.camera.start();
      host.camera.stop();
      const error = await kitFailure(starting);
      expect(error.code).to.equal('ABORTED');
      expect(host.camera.state).to.equal('idle');
      expect(opened!.getTracks().every((track) => track.readyState === 'ended')).to.equal(true);
    } finally {
      restore();
    }
  });

  it('paces frames with at most one callback in flight', async () => {
    const host = await mount();
    await host.camera.start();
    const controller = new AbortController();
    const stamps: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    host.camera.frames(async (timestamp) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      stamps.push(timestamp);
      // Slower than the camera's frame rate, so frames must be skipped.
      await new Promise((resolve) => setTimeout(resolve, 120));
      inFlight--;
    }, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    controller.abort();
    const count = stamps.length;
    expect(count).to.be.within(3, 10);
    expect(maxInFlight).to.equal(1);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).to.be.greaterThan(stamps[i - 1]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stamps.length).to.equal(count);
    host.camera.stop();
  });
});
