import { describe, expect, it } from 'vitest';
import { checkPhoto } from '../../shared/media/photo.js';
import { ValidationError } from '../../shared/errors.js';
import { photo } from '../support/fixtures.js';

async function rule(bytes: Uint8Array): Promise<string | undefined> {
  try {
    await checkPhoto(bytes, 'leadImage.data');
    return undefined;
  } catch (error) {
    if (error instanceof ValidationError) return error.fields[0]?.rule;
    throw error;
  }
}

const contains = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(text);

/** A PNG header claiming the given size: a pixel bomb needs no pixels to be dangerous. */
function pngHeader(width: number, height: number): Uint8Array {
  const png = Buffer.from(photo('plain.png'));
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}

describe('checkPhoto', () => {
  it('accepts a JPEG and strips its EXIF, GPS position included', async () => {
    const original = photo('gps.jpg');
    expect(contains(original, 'Exif')).toBe(true);
    const checked = await checkPhoto(original, 'leadImage.data');
    expect(checked).toMatchObject({ contentType: 'image/jpeg', extension: 'jpg', width: 120, height: 80 });
    expect(contains(checked.bytes, 'Exif')).toBe(false);
    expect(contains(checked.bytes, 'secret source')).toBe(false);
  });

  it('walks every scan of a progressive JPEG and keeps it whole', async () => {
    const checked = await checkPhoto(photo('progressive.jpg'), 'leadImage.data');
    const bytes = Buffer.from(checked.bytes);
    expect(contains(bytes, 'secret source')).toBe(false);
    const scans = [...bytes.entries()].filter(([i, b]) => b === 0xff && bytes[i + 1] === 0xda).length;
    expect(scans).toBeGreaterThan(1);
    expect(bytes.subarray(-2).toString('hex')).toBe('ffd9');
  });

  it('drops whatever follows the end of the image, such as a second picture with its own EXIF', async () => {
    const withTrailer = Buffer.concat([photo('progressive.jpg'), photo('gps.jpg')]);
    const checked = await checkPhoto(withTrailer, 'leadImage.data');
    expect(contains(checked.bytes, 'secret source')).toBe(false);
    expect(contains(checked.bytes, 'Exif')).toBe(false);
    expect(checked.bytes.length).toBeLessThan(photo('progressive.jpg').length);
  });

  it('strips metadata chunks from PNG and WebP', async () => {
    for (const name of ['plain.png', 'photo.webp'] as const) {
      const checked = await checkPhoto(photo(name), 'leadImage.data');
      expect(contains(checked.bytes, 'secret source')).toBe(false);
      expect(checked.width).toBe(120);
    }
  });

  it('decides the type from the bytes, refusing HTML and SVG', async () => {
    expect(await rule(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBe('image_type');
    expect(await rule(Buffer.from('<!doctype html><script>alert(1)</script>'))).toBe('image_type');
    expect(await rule(Buffer.from('GIF89a' + '\0'.repeat(20)))).toBe('image_type');
  });

  it('refuses a pixel bomb from its header alone', async () => {
    expect(await rule(pngHeader(20_000, 20_000))).toBe('image_dimensions');
    expect(await rule(pngHeader(10_000, 10_000))).toBe('image_dimensions');
  });

  it('refuses a truncated file', async () => {
    expect(await rule(photo('gps.jpg').subarray(0, 40))).toMatch(/image_corrupt|image_type/);
  });
});
