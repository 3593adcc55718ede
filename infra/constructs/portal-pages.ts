import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DockerImage } from 'aws-cdk-lib';
import { Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { buildPortalFilesSync, PORTAL_DIR } from '../local/portal-build.js';

/**
 * The portal's pages as a deployment source, built by the project's own esbuild at synth
 * time (no Docker): the same files `npm start` serves, the scripts and styles under
 * `assets/` with their content's hash in the name (portal.ts caches those for a year).
 */
export function portalPages(): ISource {
  return Source.asset(PORTAL_DIR, {
    bundling: {
      // Never pulled: local bundling always succeeds, and CDK only asks for an image to fall back on.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          for (const file of buildPortalFilesSync()) {
            const path = join(outputDir, file.path);
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, file.body);
          }
          return true;
        },
      },
    },
  });
}
