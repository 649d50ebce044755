import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { LIMITS } from '../article/limits.js';
import { describe } from '../article/submission.js';
import type { Principal } from '../auth/api-key.js';
import { ValidationError, type FieldProblem } from '../errors.js';
import type { Logger } from '../log.js';
import type { MediaRecordStore, MediaStore, PresignedUpload } from '../storage/ports.js';
import { UPLOAD_CONTENT_TYPES } from './media.js';

const HEIC_TYPES = new Set(['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence']);

const uploadRequestSchema = z.strictObject({
  contentType: z.string().check(
    z.refine((type) => !HEIC_TYPES.has(type), {
      error: 'is HEIC, which browsers cannot show: export the photo as JPEG (on an iPhone, Settings › Camera › Formats › Most Compatible)',
      params: { rule: 'image_type' },
    }),
    z.refine((type) => HEIC_TYPES.has(type) || (UPLOAD_CONTENT_TYPES as readonly string[]).includes(type), {
      error: `must be one of ${UPLOAD_CONTENT_TYPES.join(', ')}`,
      params: { rule: 'image_type' },
    }),
  ),
  contentLength: z.int().check(z.positive(), z.lte(LIMITS.uploadBytes, { error: `must be at most ${LIMITS.uploadBytes} bytes (40 MB)` })),
  filename: z.optional(z.string().check(z.trim(), z.maxLength(LIMITS.uploadFilenameChars))),
});

function problems(error: z.core.$ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const rule = (issue as { params?: { rule?: string } }).params?.rule ?? (issue.code === 'too_big' ? 'max_bytes' : issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.code);
    const received = issue.input === undefined ? '' : `; received ${typeof issue.input === 'number' ? issue.input : typeof issue.input === 'string' && issue.input.length <= 40 ? JSON.stringify(issue.input) : describe(issue.input)}`;
    return { path, rule, message: `${path} ${issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message}${received}` };
  });
}

export interface RequestUploadDeps {
  media: MediaStore;
  mediaRecords: MediaRecordStore;
  logger: Logger;
  now?: () => Date;
}

export interface UploadTicket {
  id: string;
  upload: PresignedUpload;
}

/**
 * `POST /api/media`: a presigned POST for one photo. The photo goes straight to a private prefix of
 * the media bucket, never through the API; its arrival starts processing.
 */
export async function requestUpload(input: unknown, principal: Principal, deps: RequestUploadDeps): Promise<UploadTicket> {
  const parsed = uploadRequestSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ValidationError(problems(parsed.error), 'The upload request has problems; see fields.');
  const { contentType, contentLength, filename } = parsed.data;
  const id = randomUUID();
  await deps.mediaRecords.create({
    id,
    status: 'pending',
    ownerKeyId: principal.keyId,
    ownerPersonId: principal.personId,
    declaredType: contentType,
    declaredBytes: contentLength,
    filename: filename ?? '',
    createdAt: (deps.now ?? (() => new Date()))().toISOString(),
  });
  const upload = await deps.media.presignUpload(id, contentType);
  deps.logger.info('upload requested', { mediaId: id, contentType, contentLength });
  return { id, upload };
}
