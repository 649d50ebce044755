import { describe, expect, it } from 'vitest';
import type { MediaRecord } from '../../shared/media/media.js';
import { mediaView } from '../../shared/media/media-view.js';
import { storedPhoto } from '../support/stored-photo.js';

const URLS = { publicBaseUrl: 'https://news.example.com' };
const record = (overrides: Partial<MediaRecord> = {}): MediaRecord => ({
  id: '9f0c2a51-0000-4000-8000-000000000001',
  status: 'pending',
  ownerKeyId: 'k1',
  declaredType: 'image/jpeg',
  declaredBytes: 6_500_000,
  filename: 'cam.jpg',
  createdAt: '2026-11-30T12:00:00.000Z',
  ...overrides,
});

describe('mediaView', () => {
  it('says "processing" while the upload is awaited or processed', () => {
    expect(mediaView(record(), URLS, new Date('2026-11-30T12:20:00Z'))).toEqual({ id: record().id, status: 'processing' });
  });

  it('says an upload that never arrived was refused, and what to do, once its link is long expired', () => {
    expect(mediaView(record(), URLS, new Date('2026-11-30T13:01:00Z'))).toMatchObject({ status: 'rejected', reason: expect.stringContaining('Request a new one') });
  });

  it('gives a ready photo’s upright size and rendition URLs', () => {
    const { mediaId: _id, alt: _a, caption: _c, credit: _cr, ...photo } = storedPhoto();
    const view = mediaView(record({ status: 'ready', photo }), URLS, new Date('2026-12-30T00:00:00Z'));
    expect(view).toMatchObject({ status: 'ready', width: 1200, height: 800, placeholder: '#786e64' });
    expect(view.renditions![0]).toEqual({ url: `https://news.example.com/${photo.renditions[0]!.key}`, format: 'avif', width: 320 });
  });

  it('gives a refused upload’s reason', () => {
    expect(mediaView(record({ status: 'rejected', reason: 'The file is a HEIC photo…' }), URLS)).toEqual({ id: record().id, status: 'rejected', reason: 'The file is a HEIC photo…' });
  });
});
