import sharp from 'sharp';

/** A camera-like JPEG `width`×`height` as stored, tagged with an EXIF orientation, a description and a GPS position. */
export async function cameraJpeg(width: number, height: number, orientation = 1): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 120, g: 110, b: 100 } } })
    .withExif({
      IFD0: { ImageDescription: 'secret source' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 20/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '34/1 18/1 0/1' },
    })
    // sharp writes the orientation tag from this field, whatever `withExif` says.
    .withMetadata({ orientation })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Files a hostile or careless upload may carry, each with what processing must say about it. */
export async function hostileFiles(): Promise<Array<{ name: string; bytes: Buffer; rule: RegExp }>> {
  const jpeg = await cameraJpeg(800, 600);
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } }).png().toBuffer();
  const bomb = Buffer.from(png);
  bomb.writeUInt32BE(14_000, 16);
  bomb.writeUInt32BE(14_000, 20);
  return [
    { name: 'an SVG with a script', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), rule: /JPEG, PNG, WebP or AVIF/ },
    { name: 'an HTML file named .jpg', bytes: Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'), rule: /JPEG, PNG, WebP or AVIF/ },
    { name: 'a truncated JPEG', bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)), rule: /damaged|truncated/ },
    { name: 'a 14,000 × 14,000 PNG', bytes: bomb, rule: /megapixels|damaged/ },
    {
      name: 'a HEIC photo',
      bytes: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic'), Buffer.alloc(64)]),
      rule: /HEIC.*export it as JPEG/,
    },
  ];
}
