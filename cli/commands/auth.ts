import { DEV_TOKEN_PATH } from '../../infra/local/identity-provider.js';
import { environmentNamesResources, runningPortalUrl } from '../../infra/local/stack.js';
import { EXIT, parse, required, UsageError, type Io } from '../args.js';

/**
 * `auth token --user USER [--json]`: a bearer token for a demo user from the local OpenID
 * Connect provider of the `npm start` serving the data directory, for scripts that call the
 * HTTP API. Local mode only: against AWS, people sign in at the real issuer.
 */
export async function authCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'token') throw new UsageError('use: auth token --user USER [--json]');
  const { values } = parse(rest, { user: { type: 'string' } });
  const user = required(values.user, '--user');
  if (environmentNamesResources()) {
    io.err('auth token is for the local back office only: on AWS, sign in at the identity provider (docs/operations.md) · 仅限本地环境：AWS 上请通过身份提供方登录');
    return EXIT.refused;
  }
  const portalUrl = await runningPortalUrl(values['data-dir']);
  if (portalUrl === undefined) {
    io.err('no npm start is serving this data directory: start it first (npm start), then ask again · 本地后台未运行：请先执行 npm start');
    return EXIT.refused;
  }
  const response = await fetch(`${portalUrl}${DEV_TOKEN_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  const answer = (await response.json()) as { token?: string; expires_at?: string; error_description?: string };
  if (!response.ok || answer.token === undefined) {
    io.err(`no token for "${user}": ${answer.error_description ?? `HTTP ${response.status}`} · 无法为 "${user}" 签发令牌`);
    return EXIT.refused;
  }
  io.out(values.json ? JSON.stringify({ token: answer.token, expires_at: answer.expires_at }) : answer.token);
  return EXIT.done;
}
