import { execFileSync } from 'node:child_process';

/** The e2e tests drive Debian's Chromium; the project's own script installs it when it is missing. */
export default function setup(): void {
  execFileSync('bash', ['scripts/install-chromium.sh'], { stdio: 'inherit' });
}
