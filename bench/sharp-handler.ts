import sharp from 'sharp';

// The floor for the processing function: sharp loaded (libvips and its codecs), nothing else.
const threads = sharp.concurrency();

export async function handler(): Promise<{ statusCode: number; threads: number }> {
  return { statusCode: 204, threads };
}
