import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PhotoRefusedError } from '../../shared/media/photo-type.js';
import { processPhoto, renditionWidths, type ProcessedPhotoFiles } from '../../shared/media/process-photo.js';
import { photo } from '../support/fixtures.js';

const MEDIA_ID = '00000000-0000-4000-8000-000000000000';

/** A photo `width`×`height` as stored (before orientation), tagged with EXIF orientation, a description and a GPS position. */
async function cameraJpeg(width: number, height: number, orientation = 1): Promise<Buffer> {
  // Left half red, right half blue: after rotation, where the red half went shows which way the photo turned.
  const left = await sharp({ create: { width: Math.ceil(width / 2), height, channels: 3, background: '#ff0000' } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#0000ff' } })
    .composite([{ input: left, left: 0, top: 0 }])
    .withExif({
      IFD0: { ImageDescription: 'secret source', Orientation: String(orientation) },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 20/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '34/1 18/1 0/1' },
    })
    // sharp writes the orientation from its own field, overriding the EXIF tag given above.
    .withMetadata({ orientation })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function refusal(bytes: Uint8Array): Promise<{ rule: string; reason: string }> {
  try {
    await processPhoto(bytes, MEDIA_ID);
  } catch (error) {
    if (error instanceof PhotoRefusedError) return error.refusal;
    throw error;
  }
  throw new Error('the photo was accepted');
}

/** Reads every output back: no EXIF, XMP, IPTC, ICC-borne text or the secret anywhere. */
async function expectClean(result: ProcessedPhotoFiles): Promise<void> {
  for (const file of result.files) {
    const meta = await sharp(file.bytes).metadata();
    expect(meta.exif, file.key).toBeUndefined();
    expect(meta.xmp, file.key).toBeUndefined();
    expect(meta.iptc, file.key).toBeUndefined();
    expect(file.bytes.includes('secret source'), file.key).toBe(false);
    expect(file.bytes.includes('<html'), file.key).toBe(false);
  }
}

/** The colour of the pixel at a fraction of the width, half way down. */
async function colourAt(bytes: Buffer, x: number): Promise<'red' | 'blue'> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (Math.floor(info.height / 2) * info.width + Math.floor(info.width * x)) * info.channels;
  return data[at]! > data[at + 2]! ? 'red' : 'blue';
}

describe('renditionWidths', () => {
  it('never upscales, and adds the photo’s own width between steps', () => {
    expect(renditionWidths(6000)).toEqual([320, 640, 960, 1200, 1600, 2560]);
    expect(renditionWidths(1000)).toEqual([320, 640, 960, 1000]);
    expect(renditionWidths(1200)).toEqual([320, 640, 960, 1200]);
    expect(renditionWidths(200)).toEqual([200]);
  });
});

describe('processPhoto', () => {
  it('writes AVIF, WebP and JPEG at every width, metadata-free, under per-attempt keys', async () => {
    const original = await cameraJpeg(1400, 900);
    const first = await processPhoto(original, MEDIA_ID);
    expect(first.photo).toMatchObject({ width: 1400, height: 900 });
    expect(first.photo.placeholder).toMatch(/^#[0-9a-f]{6}$/);
    const formats = first.photo.renditions.map((r) => `${r.format}@${r.width}`);
    expect(formats).toEqual(['avif@320', 'webp@320', 'jpeg@320', 'avif@640', 'webp@640', 'jpeg@640', 'avif@960', 'webp@960', 'jpeg@960', 'avif@1200', 'webp@1200', 'jpeg@1200', 'avif@1400', 'webp@1400', 'jpeg@1400']);
    for (const file of first.files) expect((await sharp(file.bytes).metadata()).format).toBe({ 'image/avif': 'heif', 'image/webp': 'webp', 'image/jpeg': 'jpeg' }[file.contentType]);
    expect(first.photo.crops.map((c) => [c.ratio, c.width, c.height])).toEqual([['16x9', 1200, 675], ['4x3', 1200, 900], ['1x1', 1200, 1200]]);
    await expectClean(first);
    const second = await processPhoto(original, MEDIA_ID);
    expect(second.files.map((f) => f.key).filter((k) => first.files.some((f) => f.key === k))).toEqual([]);
  });

  // EXIF orientations 1–8: 1–4 keep the stored width, 5–8 swap it; in every case the output is upright
  // and the red half ends up where the orientation says it should be seen.
  const expectedRedSide: Record<number, 'left' | 'right' | 'top' | 'bottom'> = { 1: 'left', 2: 'right', 3: 'right', 4: 'left', 5: 'top', 6: 'top', 7: 'bottom', 8: 'bottom' };
  for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`turns a photo with EXIF orientation ${orientation} upright and drops its GPS position`, async () => {
      const result = await processPhoto(await cameraJpeg(600, 400, orientation), MEDIA_ID);
      const swapped = orientation >= 5;
      expect([result.photo.width, result.photo.height]).toEqual(swapped ? [400, 600] : [600, 400]);
      const largestJpeg = result.photo.renditions.filter((r) => r.format === 'jpeg').at(-1)!;
      const jpeg = result.files.find((f) => f.key === largestJpeg.key)!;
      const meta = await sharp(jpeg.bytes).metadata();
      expect(meta.orientation ?? 1).toBe(1);
      expect(meta.width! < meta.height!).toBe(swapped);
      const side = expectedRedSide[orientation]!;
      if (side === 'left' || side === 'right') {
        expect(await colourAt(jpeg.bytes, 0.1)).toBe(side === 'left' ? 'red' : 'blue');
      } else {
        // Rotated: the halves are now top and bottom; read down the middle column instead.
        const rotated = await sharp(jpeg.bytes).rotate(90).toBuffer();
        expect(await colourAt(rotated, 0.1)).toBe(side === 'bottom' ? 'red' : 'blue');
      }
      await expectClean(result);
    });
  }

  it('re-encodes a JPEG with HTML appended, leaving the HTML behind', async () => {
    const withHtml = Buffer.concat([await cameraJpeg(400, 300), Buffer.from('<html><script>alert(1)</script></html>')]);
    const result = await processPhoto(withHtml, MEDIA_ID);
    await expectClean(result);
  });

  it('re-encodes a PNG and a WebP', async () => {
    for (const name of ['plain.png', 'photo.webp'] as const) {
      const result = await processPhoto(photo(name), MEDIA_ID);
      expect(result.photo.renditions.length).toBeGreaterThan(0);
      await expectClean(result);
    }
  });

  it('refuses an SVG with a script, even named .jpg', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(await refusal(svg)).toMatchObject({ rule: 'image_type', reason: expect.stringContaining('export it as JPEG') });
  });

  it('refuses an HTML file', async () => {
    expect((await refusal(Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'))).rule).toBe('image_type');
  });

  it('refuses a HEIC photo and says how to export a JPEG', async () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic'), Buffer.alloc(64)]);
    const { rule, reason } = await refusal(heic);
    expect(rule).toBe('image_type');
    expect(reason).toMatch(/HEIC.*export it as JPEG/);
  });

  it('refuses a truncated JPEG', async () => {
    const whole = await cameraJpeg(800, 600);
    expect((await refusal(whole.subarray(0, Math.floor(whole.length / 2)))).rule).toBe('image_corrupt');
  });

  it('refuses a 14,000 × 14,000 PNG from its header, before decoding', async () => {
    const png = Buffer.from(photo('plain.png'));
    png.writeUInt32BE(14_000, 16);
    png.writeUInt32BE(14_000, 20);
    const { rule, reason } = await refusal(png);
    expect(rule).toMatch(/image_dimensions|image_corrupt/);
    expect(reason).toMatch(/14000×14000|damaged/);
  });

  it('refuses an upload over the size limit without decoding it', async () => {
    const big = Buffer.alloc(40_000_001);
    (await cameraJpeg(64, 64)).copy(big);
    expect((await refusal(big)).rule).toBe('max_bytes');
  });
});
