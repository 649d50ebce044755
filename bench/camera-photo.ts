import sharp from 'sharp';
import { CAMERA_PHOTO } from './fixture.js';

/**
 * A 24-megapixel camera JPEG, generated rather than committed (it is over 20 MB): Gaussian noise at
 * quality 95, so it stays as large as a camera's file, carrying EXIF with a GPS position as a
 * camera's does (processing must drop it). Noise is the hard case for the encoders at the large
 * widths; at small widths it averages out to grey, so small renditions come out smaller than a real
 * photo's. Made the way the acceptance checks make theirs (`../shared/acceptance/lib/photo.mjs`).
 */
export async function cameraPhoto(): Promise<Buffer> {
  const { width, height } = CAMERA_PHOTO;
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
    .withExif({ IFD0: { Make: 'Pressline bench', ImageDescription: 'benchmark frame' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 20/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '34/1 18/1 0/1' } })
    .jpeg({ quality: 95 })
    .toBuffer();
}
