import { mediaUrl, type SiteUrls } from '../render/site-paths.js';
import { ABANDONED_UPLOAD_REASON, isAbandoned, type MediaRecord, type RenditionFormat } from './media.js';

/** `GET /api/media/{id}`: what a reporter's tool needs to know about an upload. */
export interface MediaView {
  id: string;
  status: 'processing' | 'ready' | 'rejected';
  reason?: string;
  width?: number;
  height?: number;
  placeholder?: string;
  renditions?: Array<{ url: string; format: RenditionFormat; width: number }>;
}

export function mediaView(record: MediaRecord, urls: SiteUrls, now = new Date()): MediaView {
  if (isAbandoned(record, now)) return { id: record.id, status: 'rejected', reason: ABANDONED_UPLOAD_REASON };
  const status = record.status === 'pending' ? 'processing' : record.status;
  const photo = record.photo;
  return {
    id: record.id,
    status,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(photo
      ? {
          width: photo.width,
          height: photo.height,
          placeholder: photo.placeholder,
          renditions: photo.renditions.map((r) => ({ url: mediaUrl(r.key, urls), format: r.format, width: r.width })),
        }
      : {}),
  };
}
