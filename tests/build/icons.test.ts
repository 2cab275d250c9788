import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildIco, encodePng, renderIcon } from '../../build/generate-icons';
import { repoRoot } from './builder-config';

function readPng(buffer: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(buffer.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  return { width, height, rgba };
}

describe('generated icons', () => {
  it('the committed PNGs decode to the sizes their names say, transparent corners and an opaque centre', () => {
    for (const size of [16, 32, 48, 256, 512]) {
      const png = readPng(fs.readFileSync(path.join(repoRoot, `build/icons/${size}x${size}.png`)));
      expect([png.width, png.height]).toEqual([size, size]);
      expect(png.rgba[3]).toBe(0); // top-left corner is outside the rounded square
      const centre = ((size >> 1) * size + (size >> 1)) * 4;
      expect(png.rgba[centre + 3]).toBe(255);
    }
  });

  it('encodePng round-trips pixels exactly', () => {
    const pixels = renderIcon(24);
    const decoded = readPng(encodePng(24, 24, pixels));
    expect(Buffer.compare(decoded.rgba, Buffer.from(pixels))).toBe(0);
  });

  it('the ICO and ICNS hold PNG entries at the sizes installers ask for', () => {
    const ico = fs.readFileSync(path.join(repoRoot, 'build/icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico[6 + 16 * i] || 256);
    expect(sizes).toEqual([16, 32, 48, 64, 128, 256]);
    const first = ico.readUInt32LE(6 + 12);
    expect(ico.subarray(first + 1, first + 4).toString('ascii')).toBe('PNG');
    expect(buildIco([{ size: 16, png: Buffer.from('x') }]).length).toBe(6 + 16 + 1);

    const icns = fs.readFileSync(path.join(repoRoot, 'build/icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) types.push(icns.toString('ascii', offset, offset + 4));
    expect(types).toEqual(['icp4', 'icp5', 'icp6', 'ic07', 'ic08', 'ic09', 'ic10']);
  });
});
