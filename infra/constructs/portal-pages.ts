import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerImage } from 'aws-cdk-lib';
import { Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { buildSync } from 'esbuild';
import { PORTAL_BUNDLE, PORTAL_DIR, PORTAL_STATIC_FILES } from '../local/portal-build.js';

/**
 * The portal's pages as a deployment source, built by the project's own esbuild at synth
 * time (no Docker): the same bundle `npm start` serves.
 */
export function portalPages(): ISource {
  return Source.asset(PORTAL_DIR, {
    bundling: {
      // Never pulled: local bundling always succeeds, and CDK only asks for an image to fall back on.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildSync({ ...PORTAL_BUNDLE, outfile: join(outputDir, 'app.js') });
          for (const file of PORTAL_STATIC_FILES) copyFileSync(join(PORTAL_DIR, file), join(outputDir, file));
          return true;
        },
      },
    },
  });
}
