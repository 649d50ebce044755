/**
 * Removes the metadata blocks of a JPEG, PNG or WebP without re-encoding the pixels.
 * EXIF can carry a photo's GPS position and camera serial, which can expose a source.
 */

const JPEG_SOI = 0xd8;
const JPEG_EOI = 0xd9;
const JPEG_SOS = 0xda;
const JPEG_APP0 = 0xe0;
const JPEG_APP2 = 0xe2;
const JPEG_COM = 0xfe;
const ICC_PROFILE = 'ICC_PROFILE\0';

/** Where the entropy-coded data after a scan header ends: the next marker that is not a stuffed byte or a restart. */
function endOfScanData(input: Uint8Array, from: number): number {
  for (let at = from; at + 1 < input.length; at++) {
    if (input[at] !== 0xff) continue;
    const next = input[at + 1]!;
    if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) return at;
  }
  return input.length;
}

function isIccProfile(input: Uint8Array, segmentStart: number): boolean {
  return String.fromCharCode(...input.subarray(segmentStart + 4, segmentStart + 4 + ICC_PROFILE.length)) === ICC_PROFILE;
}

/**
 * Keeps APP0 (JFIF) and APP2 only when it is the ICC colour profile; drops APP1 (EXIF, XMP), other
 * APP2 (the MPF index of extra images), APP3–APP15 (IPTC and vendors) and comments. Walks every scan
 * of a progressive JPEG and stops at the end-of-image marker: whatever a camera appends after it (the
 * extra images of MPF, with EXIF and GPS of their own) is dropped.
 */
export function stripJpegMetadata(input: Uint8Array): Uint8Array {
  if (input[0] !== 0xff || input[1] !== JPEG_SOI) throw new Error('not a JPEG');
  const parts: Uint8Array[] = [input.subarray(0, 2)];
  let at = 2;
  let sawScan = false;
  while (at + 1 < input.length) {
    if (input[at] !== 0xff) throw new Error('corrupt JPEG segment');
    const marker = input[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === JPEG_EOI) {
      if (!sawScan) throw new Error('JPEG has no image data');
      parts.push(input.subarray(at, at + 2));
      return concat(parts);
    }
    if (at + 4 > input.length) break;
    const length = (input[at + 2]! << 8) | input[at + 3]!;
    const end = at + 2 + length;
    if (length < 2 || end > input.length) throw new Error('corrupt JPEG segment length');
    if (marker === JPEG_SOS) {
      sawScan = true;
      const dataEnd = endOfScanData(input, end);
      parts.push(input.subarray(at, dataEnd));
      at = dataEnd;
      continue;
    }
    const isApp = marker >= JPEG_APP0 && marker <= 0xef;
    const keep = marker !== JPEG_COM && (!isApp || marker === JPEG_APP0 || (marker === JPEG_APP2 && isIccProfile(input, at)));
    if (keep) parts.push(input.subarray(at, end));
    at = end;
  }
  // A file cut short after its image data: keep what there is, closed properly.
  if (!sawScan) throw new Error('JPEG has no image data');
  parts.push(new Uint8Array([0xff, JPEG_EOI]));
  return concat(parts);
}

const PNG_DROP = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

export function stripPngMetadata(input: Uint8Array): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const parts: Uint8Array[] = [input.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= input.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...input.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (end > input.length) throw new Error('corrupt PNG chunk length');
    if (!PNG_DROP.has(type)) parts.push(input.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return concat(parts);
}

const VP8X_EXIF_FLAG = 0x08;
const VP8X_XMP_FLAG = 0x04;

export function stripWebpMetadata(input: Uint8Array): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const chunks: Uint8Array[] = [];
  let at = 12;
  while (at + 8 <= input.length) {
    const type = String.fromCharCode(...input.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    const end = at + 8 + size + (size % 2);
    if (at + 8 + size > input.length) throw new Error('corrupt WebP chunk length');
    if (type === 'VP8X') {
      const chunk = input.slice(at, Math.min(end, input.length));
      chunk[8] = chunk[8]! & ~(VP8X_EXIF_FLAG | VP8X_XMP_FLAG);
      chunks.push(chunk);
    } else if (type !== 'EXIF' && type !== 'XMP ') {
      chunks.push(input.subarray(at, Math.min(end, input.length)));
    }
    at = end;
  }
  const body = concat(chunks);
  const header = new Uint8Array(12);
  header.set(input.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  return concat([header, body]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
