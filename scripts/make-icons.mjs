// Draws the dashboard's app icons (web/icons/*.png, *.svg): a lightning bolt over a chip outline, in the page's colours.
// Run once after changing the drawing: node scripts/make-icons.mjs. Plain Node (zlib), no image library.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/icons');
const BG = [0x16, 0x20, 0x2e];
const BOLT = [0x3f, 0xb9, 0x50];
const CHIP = [0xc9, 0xd4, 0xe3];
// The bolt in a 0..1 box (x right, y down).
const bolt = [[0.56, 0.14], [0.30, 0.55], [0.48, 0.55], [0.42, 0.86], [0.70, 0.43], [0.52, 0.43], [0.60, 0.14]];

function inside(poly, x, y) {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i], [xj, yj] = poly[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

// Colour at (u, v) in 0..1 of the glyph area, or null for background.
function glyph(u, v) {
  if (inside(bolt, u, v)) return BOLT;
  const ring = Math.max(Math.abs(u - 0.5), Math.abs(v - 0.5));  // square chip outline
  if (ring > 0.40 && ring < 0.45) return CHIP;
  return null;
}

function draw(size, { safe = 0.9, rounded = true } = {}) {
  const px = Buffer.alloc(size * size * 4);
  const ss = 4;
  const r = size * 0.18;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let acc = [0, 0, 0, 0];
      for (let sy = 0; sy < ss; sy++) for (let sx = 0; sx < ss; sx++) {
        const fx = x + (sx + 0.5) / ss, fy = y + (sy + 0.5) / ss;
        if (rounded) {  // rounded square background
          const dx = Math.max(r - fx, 0, fx - (size - r)), dy = Math.max(r - fy, 0, fy - (size - r));
          if (dx * dx + dy * dy > r * r) continue;
        }
        const m = (1 - safe) / 2;
        const u = (fx / size - m) / safe, v = (fy / size - m) / safe;
        const c = glyph(u, v) ?? BG;
        acc = [acc[0] + c[0], acc[1] + c[1], acc[2] + c[2], acc[3] + 255];
      }
      const n = ss * ss, o = (y * size + x) * 4;
      const a = acc[3] / n;
      px[o + 3] = Math.round(a);
      for (let k = 0; k < 3; k++) px[o + k] = a ? Math.round(acc[k] / (acc[3] / 255)) : 0;
    }
  }
  return png(size, size, px);
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(w, h, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc((w * 4 + 1) * h);
  for (let y = 0; y < h; y++) rgba.copy(raw, y * (w * 4 + 1) + 1, y * w * 4, (y + 1) * w * 4);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function svg() {
  const pts = bolt.map(([x, y]) => `${(8 + x * 48).toFixed(1)},${(8 + y * 48).toFixed(1)}`).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#16202e"/>` +
    `<rect x="13.6" y="13.6" width="36.8" height="36.8" fill="none" stroke="#c9d4e3" stroke-width="2.4"/>` +
    `<polygon points="${pts}" fill="#3fb950"/></svg>\n`;
}

fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'icon-192.png'), draw(192));
fs.writeFileSync(path.join(out, 'icon-512.png'), draw(512));
fs.writeFileSync(path.join(out, 'maskable-512.png'), draw(512, { safe: 0.7, rounded: false }));  // safe zone: 80% circle
fs.writeFileSync(path.join(out, 'icon.svg'), svg());
console.log(`icons written to ${out}`);
