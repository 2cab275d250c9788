/**
 * Draws the app icon procedurally (no downloads, no image tools) and writes every format the
 * installers want: build/icons/<n>x<n>.png (Linux), build/icon.png, build/icon.ico (Windows, PNG
 * entries) and build/icon.icns (macOS, PNG entries). Run: `npx tsx build/generate-icons.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const PNG_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024] as const;
const ICO_SIZES = [16, 32, 48, 64, 128, 256] as const;
/** ICNS chunk types that hold PNG data, by pixel size. */
const ICNS_TYPES: [string, number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes straight RGBA pixels as a PNG (colour type 6, 8 bits, no interlace). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const clamp01 = (v: number): number => Math.max(0, Math.min(1, v));

/** Distance from point p to the segment a-b. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp01(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * The icon in unit coordinates (0..1): a deep-teal rounded square, a white clock dial with a face
 * outline inside it and hands at ten past ten. Returns straight RGBA for one sample point.
 */
function shade(x: number, y: number): [number, number, number, number] {
  // rounded square, radius 0.2, inset 0.04
  const inset = 0.04;
  const radius = 0.2;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - radius), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - radius), 0);
  if (Math.hypot(qx, qy) > radius) return [0, 0, 0, 0];
  const g = y; // vertical gradient
  let r = 12 + 10 * g;
  let gr = 92 - 30 * g;
  let b = 110 - 25 * g;
  const cx = 0.5;
  const cy = 0.5;
  const d = Math.hypot(x - cx, y - cy);
  const paint = (color: [number, number, number], cover: boolean): void => {
    if (!cover) return;
    [r, gr, b] = color;
  };
  const white: [number, number, number] = [250, 250, 247];
  const ink: [number, number, number] = [16, 70, 84];
  const amber: [number, number, number] = [245, 166, 35];
  paint(white, d <= 0.33);
  // tick marks at 12, 3, 6, 9
  for (let k = 0; k < 4; k += 1) {
    const a = (k * Math.PI) / 2;
    const ox = Math.sin(a);
    const oy = -Math.cos(a);
    paint(ink, segmentDistance(x, y, cx + ox * 0.27, cy + oy * 0.27, cx + ox * 0.31, cy + oy * 0.31) < 0.012);
  }
  // face outline (head ellipse) and shoulders, thin strokes
  const head = Math.hypot((x - cx) / 0.085, (y - 0.45) / 0.105);
  paint(ink, Math.abs(head - 1) * 0.09 < 0.011);
  const shoulders = Math.hypot((x - cx) / 0.17, (y - 0.69) / 0.12);
  paint(ink, y < 0.66 + 0.08 && y > 0.6 && Math.abs(shoulders - 1) * 0.13 < 0.011 && Math.abs(x - cx) > 0.05);
  // hands: hour towards ten, minute towards two (amber, the "clocking" accent)
  paint(amber, segmentDistance(x, y, cx, cy, cx - 0.17, cy - 0.1) < 0.018);
  paint(amber, segmentDistance(x, y, cx, cy, cx + 0.19, cy - 0.15) < 0.014);
  paint(amber, d < 0.028);
  return [r, gr, b, 255];
}

/** Renders the icon at `size` pixels with 4x4 supersampling. */
export function renderIcon(size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const ss = 4;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy += 1) {
        for (let sx = 0; sx < ss; sx += 1) {
          const [cr, cg, cb, ca] = shade((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      out[i] = a ? Math.round(r / a) : 0;
      out[i + 1] = a ? Math.round(g / a) : 0;
      out[i + 2] = a ? Math.round(b / a) : 0;
      out[i + 3] = Math.round(a / (ss * ss));
    }
  }
  return out;
}

/** An ICO file whose entries are PNGs (supported since Windows Vista). */
export function buildIco(pngs: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs.map((p) => p.png)]);
}

/** An ICNS file with PNG-compressed entries. */
export function buildIcns(entries: { type: string; png: Buffer }[]): Buffer {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

/** Writes every icon file under `buildDir`; returns the files written. */
export function generateIcons(buildDir: string): string[] {
  const iconsDir = path.join(buildDir, 'icons');
  fs.mkdirSync(iconsDir, { recursive: true });
  const pngs = new Map<number, Buffer>();
  const written: string[] = [];
  for (const size of PNG_SIZES) {
    const png = encodePng(size, size, renderIcon(size));
    pngs.set(size, png);
    const file = path.join(iconsDir, `${size}x${size}.png`);
    fs.writeFileSync(file, png);
    written.push(file);
  }
  const big = pngs.get(1024) as Buffer;
  fs.writeFileSync(path.join(buildDir, 'icon.png'), big);
  fs.writeFileSync(path.join(buildDir, 'icon.ico'), buildIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) as Buffer }))));
  fs.writeFileSync(path.join(buildDir, 'icon.icns'), buildIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: pngs.get(size) as Buffer }))));
  written.push(path.join(buildDir, 'icon.png'), path.join(buildDir, 'icon.ico'), path.join(buildDir, 'icon.icns'));
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const files = generateIcons(path.resolve(__dirname));
  console.log(`wrote ${files.length} icon files:\n${files.map((f) => `  ${path.relative(process.cwd(), f)}`).join('\n')}`);
}
