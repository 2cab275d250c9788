/**
 * Device resolution: which camera a configured device string means on each platform (fake sysfs
 * trees on Linux, sample ffmpeg listings for Windows and macOS, real files), and the capture mode
 * negotiated once per device and size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeviceResolver, type DeviceResolver, type FfmpegProbe } from '../../../src/main/camera/device-resolver';
import { NO_CAMERA_MESSAGE } from '../../../src/main/camera/messages';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { fakeLinux, type FakeLinux } from './fake-linux';

const tempDirs: string[] = [];
afterEach(() => tempDirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempLinux(): FakeLinux {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-resolver-'));
  tempDirs.push(root);
  return fakeLinux(root);
}

function resolver(platform: NodeJS.Platform, probe: FfmpegProbe, linux?: { sysfs: string; dev: string }): DeviceResolver {
  return createDeviceResolver({ platform, sysfsRoot: linux?.sysfs ?? '/nowhere/sys', devRoot: linux?.dev ?? '/nowhere/dev', probe, logger: createMemoryLogger() });
}

const noProbe: FfmpegProbe = async () => {
  throw new Error('no ffmpeg listing expected');
};

const V4L2_LISTING = [
  '[video4linux2,v4l2 @ 0x1] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 1280x720',
  '[video4linux2,v4l2 @ 0x1] Compressed:       mjpeg :          Motion-JPEG : 640x480 1280x720',
].join('\n');

describe('resolve: file cameras', () => {
  it('a file that exists is the source (a still image when its extension says so); a missing one says which path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cam-file-'));
    tempDirs.push(dir);
    fs.writeFileSync(path.join(dir, 'demo.mp4'), '');
    fs.writeFileSync(path.join(dir, 'face.JPG'), '');
    const r = resolver('linux', noProbe);
    expect(await r.resolve(`file:${dir}/demo.mp4`)).toEqual({
      ok: true,
      source: { kind: 'file', device: `file:${dir}/demo.mp4`, label: 'demo.mp4', path: `${dir}/demo.mp4`, still: false },
    });
    expect(await r.resolve(`file:${dir}/face.JPG`)).toMatchObject({ ok: true, source: { still: true } });
    expect(await r.resolve('file:/nowhere/demo.mp4')).toEqual({ ok: false, state: 'unavailable', deviceId: 'file:/nowhere/demo.mp4', message: 'Camera file not found: /nowhere/demo.mp4' });
  });
});

describe('resolve: Linux (V4L2 from sysfs)', () => {
  it('auto: no_device while nothing is plugged in, then the first capture node (metadata nodes skipped)', async () => {
    const linux = tempLinux();
    const r = resolver('linux', noProbe, linux);
    expect(await r.resolve('auto')).toEqual({ ok: false, state: 'no_device', deviceId: null, message: NO_CAMERA_MESSAGE });
    linux.plug('video3', 'HD Pro Webcam C920', 1);
    linux.plug('video2', 'HD Pro Webcam C920');
    expect(await r.resolve('auto')).toEqual({ ok: true, source: { kind: 'v4l2', device: path.join(linux.dev, 'video2'), label: 'HD Pro Webcam C920' } });
  });

  it('a configured node by path or name; an unknown one names what is connected', async () => {
    const linux = tempLinux();
    linux.plug('video0', 'USB Camera');
    const r = resolver('linux', noProbe, linux);
    const video0 = path.join(linux.dev, 'video0');
    expect(await r.resolve(video0)).toMatchObject({ ok: true, source: { device: video0, label: 'USB Camera' } });
    expect(await r.resolve('video0')).toMatchObject({ ok: true, source: { device: video0 } });
    expect(await r.resolve('/dev/video7')).toEqual({
      ok: false,
      state: 'unavailable',
      deviceId: '/dev/video7',
      message: `Camera "/dev/video7" was not found. Connected cameras: ${video0} (USB Camera). Plug it in or choose another in Admin > Setup.`,
    });
  });
});

describe('resolve: Windows and macOS (ffmpeg listings)', () => {
  const dshow = '[dshow @ 01] "Integrated Webcam" (video)\n[dshow @ 01] "Logitech BRIO" (video)\n[dshow @ 01] "Mic" (audio)';

  it('Windows: auto is the first DirectShow camera; a name picks that one; an unknown name lists the others', async () => {
    const r = resolver('win32', async () => dshow);
    expect(await r.resolve('auto')).toEqual({ ok: true, source: { kind: 'dshow', device: 'Integrated Webcam', label: 'Integrated Webcam' } });
    expect(await r.resolve('Logitech BRIO')).toMatchObject({ ok: true, source: { device: 'Logitech BRIO' } });
    expect(await r.resolve('Mic')).toMatchObject({ ok: false, state: 'unavailable', message: expect.stringContaining('Connected cameras: Integrated Webcam, Logitech BRIO.') });
  });

  it('macOS: cameras by AVFoundation index; none listed is no_device', async () => {
    const listing = '[AVFoundation indev @ 0x1] AVFoundation video devices:\n[AVFoundation indev @ 0x1] [0] FaceTime HD Camera\n[AVFoundation indev @ 0x1] [1] Capture screen 0';
    expect(await resolver('darwin', async () => listing).resolve('auto')).toEqual({ ok: true, source: { kind: 'avfoundation', device: '0', label: 'FaceTime HD Camera' } });
    expect(await resolver('darwin', async () => '').resolve('0')).toEqual({ ok: false, state: 'no_device', deviceId: '0', message: NO_CAMERA_MESSAGE });
  });

  it('never rejects: a listing that fails becomes a readable status, an unsupported platform says what to do', async () => {
    const failing = resolver('win32', async () => {
      throw new Error('spawn ffmpeg ENOENT\n    at somewhere');
    });
    expect(await failing.resolve('auto')).toEqual({ ok: false, state: 'unavailable', deviceId: 'auto', message: 'Could not list cameras: spawn ffmpeg ENOENT' });
    expect(await resolver('freebsd', noProbe).resolve('auto')).toMatchObject({ ok: false, state: 'no_device', message: expect.stringMatching(/not supported on freebsd; set the camera to file:/) });
  });
});

describe('inputArgs: the capture mode', () => {
  it('V4L2: MJPEG at the wanted size, listed once per device and size, again after forgetModes()', async () => {
    const probed: string[][] = [];
    const r = resolver('linux', async (args) => (probed.push(args), V4L2_LISTING));
    const source = { kind: 'v4l2', device: '/dev/video0', label: 'USB Camera' } as const;
    const wanted = { width: 640, height: 480, fps: 15 };
    const args = await r.inputArgs(source, wanted);
    expect(args).toEqual(['-f', 'v4l2', '-input_format', 'mjpeg', '-video_size', '640x480', '-framerate', '15', '-i', '/dev/video0']);
    await r.inputArgs(source, wanted);
    expect(probed).toHaveLength(1);
    await r.inputArgs(source, { ...wanted, width: 1280, height: 720 });
    expect(probed).toHaveLength(2);
    r.forgetModes();
    await r.inputArgs(source, wanted);
    expect(probed).toHaveLength(3);
  });

  it('V4L2: a listing that fails leaves the choice to the driver, and is tried again next time', async () => {
    let calls = 0;
    const r = resolver('linux', async () => {
      calls += 1;
      throw new Error('Device or resource busy');
    });
    const source = { kind: 'v4l2', device: '/dev/video0', label: 'USB Camera' } as const;
    expect(await r.inputArgs(source, { width: 640, height: 480, fps: 15 })).toEqual(['-f', 'v4l2', '-framerate', '15', '-i', '/dev/video0']);
    await r.inputArgs(source, { width: 640, height: 480, fps: 15 });
    expect(calls).toBe(2);
  });

  it('DirectShow: the device’s own options; a file loops at its own pace; a still repeats at the wanted rate', async () => {
    const options = '[dshow @ 01]   vcodec=mjpeg  min s=640x480 fps=5 max s=640x480 fps=30';
    const r = resolver('win32', async () => options);
    expect(await r.inputArgs({ kind: 'dshow', device: 'Integrated Webcam', label: 'Integrated Webcam' }, { width: 640, height: 480, fps: 15 })).toEqual([
      '-f', 'dshow', '-rtbufsize', '32M', '-vcodec', 'mjpeg', '-video_size', '640x480', '-framerate', '15', '-i', 'video=Integrated Webcam',
    ]);
    const file = { kind: 'file', device: 'file:/a.mp4', label: 'a.mp4', path: '/a.mp4', still: false } as const;
    expect(await r.inputArgs(file, { width: 640, height: 480, fps: 15 })).toEqual(['-re', '-stream_loop', '-1', '-i', '/a.mp4']);
    expect(await r.inputArgs({ ...file, still: true }, { width: 640, height: 480, fps: 12 })).toEqual(['-re', '-loop', '1', '-framerate', '12', '-i', '/a.mp4']);
  });
});

describe('listDevices', () => {
  it('a failing listing gives no cameras but still the configured file camera', async () => {
    const r = resolver('win32', async () => {
      throw new Error('ffmpeg did not finish within 5 s');
    });
    expect(await r.listDevices('file:/demo/faces.mp4')).toEqual([{ id: 'file:/demo/faces.mp4', label: 'faces.mp4', kind: 'file', formats: [] }]);
  });
});
