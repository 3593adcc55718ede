import { startDynamoDbLocal, type RunningServer } from '../../infra/local/servers.js';

interface Shared {
  server: Promise<RunningServer>;
  users: number;
}

/** Kept on globalThis: each project's global setup gets its own copy of this module, the process is one. */
const KEY = Symbol.for('backoffice.test.dynamodb-local');
const holder = globalThis as unknown as Record<symbol, Shared | undefined>;

/**
 * One in-memory DynamoDB Local for every project of a vitest run (the integration files' tables
 * and the e2e back offices' tables live side by side, each under a name of its own): a JVM
 * start and its warm-up cost seconds of CPU apiece. Stopped when its last user lets it go; it lives
 * as long as the run, so it compiles as a short-lived JVM (servers.ts).
 */
export async function acquireDynamoDbLocal(): Promise<{ endpoint: string; release(): Promise<void> }> {
  let shared = holder[KEY];
  if (shared === undefined) {
    shared = { server: startDynamoDbLocal({ shortLived: true }), users: 0 };
    holder[KEY] = shared;
  }
  shared.users += 1;
  const server = await shared.server;
  let released = false;
  return {
    endpoint: server.endpoint,
    async release() {
      if (released) return;
      released = true;
      shared.users -= 1;
      if (shared.users > 0) return;
      holder[KEY] = undefined;
      await server.stop();
    },
  };
}
