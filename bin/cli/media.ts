import { basename } from 'node:path';
import type { Command } from 'commander';
import { apiTarget, printJson, withApiOptions } from './api.js';
import { requirePhotoFile, uploadShowingProgress, waitShowingStatus } from './photo.js';

interface UploadOptions {
  api?: string;
  json?: boolean;
  progress?: boolean;
}

async function upload(file: string, options: UploadOptions): Promise<void> {
  requirePhotoFile(file, 'media upload');
  const target = apiTarget(options);
  const id = await uploadShowingProgress(target, file, options);
  const view = await waitShowingStatus(target, id, basename(file));
  if (options.json) return printJson(view);
  // The id alone first: `ID=$(pressline media upload x.jpg | cut -f1)`.
  console.log(`${view.id}\t${view.status}${view.width ? `\t${view.width}×${view.height}` : ''}`);
}

export function registerMedia(program: Command): void {
  const media = program
    .command('media')
    .summary('photos: upload one')
    .description('Photos for articles.')
    .addHelpText('after', '\nExample:\n  $ pressline media upload lead.jpg');
  withApiOptions(
    media
      .command('upload')
      .summary('upload a photo, wait until it is processed, print its id and status')
      .description(
        `Uploads a photo (JPEG, PNG, WebP or AVIF, up to 40 MB) through a presigned POST with a progress
bar on stderr, waits until processing has made its renditions, and prints its media id and status.
Use the id as leadImage.mediaId in a Markdown file's front matter. A refused photo exits 1 with the reason.`,
      )
      .argument('<file>', 'the photo')
      .option('--progress', 'draw the progress bar even when stderr is not a terminal'),
  )
    .addHelpText(
      'after',
      `
Example:
  $ pressline media upload lead.jpg
  Uploading lead.jpg [██████████████████████████████] 100% | 24.0 MB of 24.0 MB
  Processing lead.jpg: ready, 6000×4000 px in 18 renditions
  0b6c2f7e-…\tready\t6000×4000`,
    )
    .action(upload);
}
