/** Argument builders and listing parsers for each platform, on sample outputs of real ffmpeg builds. */
import { describe, expect, it } from 'vitest';
import {
  avfoundationInputArgs,
  captureArgs,
  dshowInputArgs,
  fileInputArgs,
  negotiateMode,
  parseAvfoundationDevices,
  parseDshowDevices,
  parseDshowOptions,
  parseFileDevice,
  parseV4l2Formats,
  v4l2InputArgs,
} from '../../../src/main/camera/sources';

const V4L2_USB_WEBCAM = `[video4linux2,v4l2 @ 0x55d5c8a3c940] Compressed:       mjpeg :          Motion-JPEG : 640x480 160x120 320x240 1280x720 1920x1080
[video4linux2,v4l2 @ 0x55d5c8a3c940] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 160x120 320x240 1280x720 1920x1080
/dev/video0: Immediate exit requested`;

const V4L2_RAW_ONLY = `[video4linux2,v4l2 @ 0x5581] Raw       :     yuyv422 :           YUYV 4:2:2 : 1280x720 800x600
/dev/video2: Immediate exit requested`;

const V4L2_STEPWISE = `[video4linux2,v4l2 @ 0x1] Raw       :       yuv420p :     Planar YUV 4:2:0 : {32-1920, 2}x{32-1080, 2}
[video4linux2,v4l2 @ 0x1] Compressed:        h264 :                H.264 : 1920x1080`;

const DSHOW_OLD = `[dshow @ 0000023f5e1b2f40] DirectShow video devices (some may be both video and audio devices)
[dshow @ 0000023f5e1b2f40]  "Integrated Webcam"
[dshow @ 0000023f5e1b2f40]     Alternative name "@device_pnp_\\\\?\\usb#vid_0c45&pid_6713&mi_00#6&2c4b5c0c&0&0000#{65e8773d-8f56-11d0-a3b9-00a0c9223196}\\global"
[dshow @ 0000023f5e1b2f40]  "OBS Virtual Camera"
[dshow @ 0000023f5e1b2f40]     Alternative name "@device_sw_{860BB310-5D01-11D0-BD3B-00A0C911CE86}\\{A3FCE0F5-3493-419F-958A-ABA1250EC20B}"
[dshow @ 0000023f5e1b2f40] DirectShow audio devices
[dshow @ 0000023f5e1b2f40]  "Microphone Array (Realtek(R) Audio)"
[dshow @ 0000023f5e1b2f40]     Alternative name "@device_cm_{33D9A762-90C8-11D0-BD43-00A0C911CE86}\\wave_{8C4B3F2A}"
dummy: Immediate exit requested`;

const DSHOW_NEW = `[dshow @ 000001c8a2f0] "Logitech BRIO" (video)
[dshow @ 000001c8a2f0]   Alternative name "@device_pnp_\\\\?\\usb#vid_046d&pid_085e"
[dshow @ 000001c8a2f0] "Microphone (Realtek(R) Audio)" (audio)
[dshow @ 000001c8a2f0]   Alternative name "@device_cm_{33D9A762}"
[dshow @ 000001c8a2f0] "Capture Card" (audio, video)
[dshow @ 000001c8a2f0] "Broken Filter" (none)
[in#0 @ 000001c8a2e0] Error opening input: Immediate exit requested`;

const DSHOW_OPTIONS = `[dshow @ 0000020] DirectShow video device options (from video devices)
[dshow @ 0000020]  Pin "Capture" (alternative pin name "0")
[dshow @ 0000020]   vcodec=mjpeg  min s=1280x720 fps=30 max s=1280x720 fps=30
[dshow @ 0000020]   vcodec=mjpeg  min s=640x480 fps=30 max s=640x480 fps=30 (tv, bt470bg/bt709/unknown, topleft)
[dshow @ 0000020]   pixel_format=yuyv422  min s=640x480 fps=30 max s=640x480 fps=30
[dshow @ 0000020]   pixel_format=yuyv422  min s=1280x720 fps=10 max s=1280x720 fps=10
video=Integrated Webcam: Immediate exit requested`;

const AVFOUNDATION = `[AVFoundation indev @ 0x7fb3c2d04b40] AVFoundation video devices:
[AVFoundation indev @ 0x7fb3c2d04b40] [0] FaceTime HD Camera
[AVFoundation indev @ 0x7fb3c2d04b40] [1] Capture screen 0
[AVFoundation indev @ 0x7fb3c2d04b40] [2] Logitech StreamCam
[AVFoundation indev @ 0x7fb3c2d04b40] AVFoundation audio devices:
[AVFoundation indev @ 0x7fb3c2d04b40] [0] MacBook Pro Microphone
: Input/output error`;

const WANT = { width: 640, height: 480, fps: 15 };

describe('V4L2', () => {
  it('parses both the compressed and the raw format lines, every size', () => {
    const modes = parseV4l2Formats(V4L2_USB_WEBCAM);
    expect(modes.filter((m) => m.format === 'mjpeg').map((m) => `${m.width}x${m.height}`)).toEqual(['640x480', '160x120', '320x240', '1280x720', '1920x1080']);
    expect(modes.filter((m) => m.format === 'yuyv422')).toHaveLength(5);
    expect(modes.find((m) => m.format === 'mjpeg')?.compressed).toBe(true);
    expect(modes.find((m) => m.format === 'yuyv422')?.compressed).toBe(false);
  });

  it('prefers MJPEG when the camera offers it at the wanted size', () => {
    const mode = negotiateMode(parseV4l2Formats(V4L2_USB_WEBCAM), WANT);
    expect(mode).toEqual({ inputFormat: 'mjpeg', width: 640, height: 480, fps: 15 });
    expect(v4l2InputArgs('/dev/video0', mode)).toEqual(['-f', 'v4l2', '-input_format', 'mjpeg', '-video_size', '640x480', '-framerate', '15', '-i', '/dev/video0']);
  });

  it('takes the smallest larger size when the wanted one is not offered (ffmpeg scales down)', () => {
    const mode = negotiateMode(parseV4l2Formats(V4L2_RAW_ONLY), WANT);
    expect(mode).toMatchObject({ inputFormat: 'yuyv422', width: 800, height: 600 });
  });

  it('reads stepwise ranges and avoids H.264 streams it cannot decode cheaply', () => {
    const modes = parseV4l2Formats(V4L2_STEPWISE);
    expect(modes).toContainEqual({ format: 'yuv420p', compressed: false, width: 1920, height: 1080, maxFps: null });
    expect(negotiateMode(modes, WANT).inputFormat).toBe('yuv420p');
  });

  it('falls back to driver defaults when the listing is empty (e.g. ffmpeg could not open it)', () => {
    const mode = negotiateMode(parseV4l2Formats('/dev/video0: Permission denied'), WANT);
    expect(mode).toEqual({ inputFormat: null, width: null, height: null, fps: 15 });
    expect(v4l2InputArgs('/dev/video0', mode)).toEqual(['-f', 'v4l2', '-framerate', '15', '-i', '/dev/video0']);
  });
});

describe('DirectShow', () => {
  it('lists only video devices from the old listing layout', () => {
    expect(parseDshowDevices(DSHOW_OLD).map((d) => d.name)).toEqual(['Integrated Webcam', 'OBS Virtual Camera']);
    expect(parseDshowDevices(DSHOW_OLD)[0]?.alternativeName).toMatch(/^@device_pnp_/);
  });

  it('lists only video devices from the newer "(video)" layout', () => {
    expect(parseDshowDevices(DSHOW_NEW).map((d) => d.name)).toEqual(['Logitech BRIO', 'Capture Card']);
  });

  it('parses capture options with their max rate and prefers MJPEG at the wanted size', () => {
    const modes = parseDshowOptions(DSHOW_OPTIONS);
    expect(modes).toHaveLength(4);
    expect(modes).toContainEqual({ format: 'yuyv422', compressed: false, width: 1280, height: 720, maxFps: 10 });
    const mode = negotiateMode(modes, { width: 640, height: 480, fps: 30 });
    expect(mode).toEqual({ inputFormat: 'mjpeg', width: 640, height: 480, fps: 30 });
    expect(dshowInputArgs('Integrated Webcam', mode)).toEqual([
      '-f', 'dshow', '-rtbufsize', '32M', '-vcodec', 'mjpeg', '-video_size', '640x480', '-framerate', '30', '-i', 'video=Integrated Webcam',
    ]);
  });

  it('does not pick a mode too slow for the wanted rate when a fast one exists', () => {
    const mode = negotiateMode(parseDshowOptions(DSHOW_OPTIONS), { width: 1280, height: 720, fps: 15 });
    expect(mode).toMatchObject({ inputFormat: 'mjpeg', width: 1280, height: 720, fps: 15 });
  });

  it('passes a raw pixel format with -pixel_format, and nothing forced without a listing', () => {
    expect(dshowInputArgs('Cam "2"', { inputFormat: 'yuyv422', width: 640, height: 480, fps: 30 })).toContain('-pixel_format');
    expect(dshowInputArgs('Cam', { inputFormat: null, width: null, height: null, fps: 15 })).toEqual(['-f', 'dshow', '-rtbufsize', '32M', '-i', 'video=Cam']);
  });
});

describe('AVFoundation', () => {
  it('lists cameras by index without screen-capture entries or audio devices', () => {
    expect(parseAvfoundationDevices(AVFOUNDATION)).toEqual([
      { index: '0', name: 'FaceTime HD Camera' },
      { index: '2', name: 'Logitech StreamCam' },
    ]);
  });

  it('captures video only at a native rate and the wanted size', () => {
    expect(avfoundationInputArgs('2', WANT)).toEqual(['-f', 'avfoundation', '-framerate', '30', '-video_size', '640x480', '-i', '2:none']);
  });
});

describe('file source and output', () => {
  it('recognises stills by extension and loops each kind appropriately', () => {
    const still = parseFileDevice('file:/tmp/a b/face.JPG');
    expect(still).toMatchObject({ kind: 'file', path: '/tmp/a b/face.JPG', still: true, label: 'face.JPG' });
    expect(parseFileDevice('file:C:\\demo\\faces.mp4')).toMatchObject({ still: false, label: 'faces.mp4' });
    expect(parseFileDevice('/dev/video0')).toBeNull();
    expect(fileInputArgs('/x/face.png', true, 12)).toEqual(['-re', '-loop', '1', '-framerate', '12', '-i', '/x/face.png']);
    expect(fileInputArgs('/x/faces.mp4', false, 12)).toEqual(['-re', '-stream_loop', '-1', '-i', '/x/faces.mp4']);
  });

  it('asks for raw RGB24 of exactly the configured size and rate on stdout', () => {
    const args = captureArgs(['-i', 'in'], { width: 320, height: 240, fps: 10 });
    expect(args.slice(args.indexOf('-vf') + 1)[0]).toMatch(/^fps=10,scale=320:240:force_original_aspect_ratio=decrease,pad=320:240/);
    expect(args.slice(-5)).toEqual(['-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1']);
    expect(args).toContain('-nostdin');
  });
});
