import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { ClaimNames } from '../../shared/config.js';

/**
 * The local stand-in for the OpenID Connect issuer (Cognito, or the customer's own identity
 * provider in the China regions): a real `oidc-provider` with the demo users, mounted under
 * `/oidc` of the local portal server, so that the portal signs in exactly as on AWS
 * (discovery, authorization code with PKCE, token refresh) and the API verifies tokens
 * against the issuer's JWKS as API Gateway's JWT authorizer does.
 *
 * One thing only this issuer offers: `tokenFor`, a token for a demo user without the browser
 * (`POST /oidc/dev/token`), for `backoffice auth token` and the tests. It signs with the
 * issuer's own key, so its tokens are verified like every other.
 */
export interface LocalUser {
  readonly id: string;
  readonly name: string;
  readonly groups: readonly string[];
  readonly dealer?: string;
}

/** The portal's client at the local issuer: a public client (no secret), PKCE required. */
export const LOCAL_CLIENT_ID = 'backoffice-portal';
/** Where the issuer is mounted on the portal server. */
export const ISSUER_PATH = '/oidc';
/** The route of the local-only token grant (a demo user's token without the browser). */
export const DEV_TOKEN_PATH = `${ISSUER_PATH}/dev/token`;

export interface LocalIssuer {
  /** `http://127.0.0.1:PORT/oidc`, the `iss` of its tokens. */
  readonly issuer: string;
  readonly clientId: string;
  /** Answers a request under ISSUER_PATH. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** A token for a demo user; `seconds` below zero makes one already expired. */
  tokenFor(userId: string, seconds?: number): Promise<string>;
  /** The token's claims when this issuer signed it for the portal's client and it is still valid; throws otherwise. */
  verify(token: string): Promise<JWTPayload>;
}

export interface LocalIssuerOptions {
  /** The portal's origin: the issuer's too, and where sign-in returns. */
  readonly origin: string;
  readonly users: readonly LocalUser[];
  /** The claims that carry roles and dealer code, as the API reads them (shared/config.ts). */
  readonly claims: ClaimNames;
  readonly tokenSeconds: number;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function createLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const issuer = `${options.origin}${ISSUER_PATH}`;
  const users = new Map(options.users.map((u) => [u.id, u]));
  const claimsOf = (user: LocalUser): Record<string, unknown> => ({
    sub: user.id,
    name: user.name,
    [options.claims.role]: [...user.groups],
    ...(user.dealer === undefined ? {} : { [options.claims.dealerCode]: user.dealer }),
  });
  // A fresh key each start: tokens of an earlier run, or signed by any other issuer, are refused.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const signingKey = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

  const configuration: Configuration = {
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${options.origin}/`],
        post_logout_redirect_uris: [`${options.origin}/`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['name', options.claims.role, options.claims.dealerCode] },
    // The ID token is what the portal sends to the API (as with Cognito): it carries the role and dealer claims.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `${ISSUER_PATH}/interaction/${interaction.uid}` },
    ttl: { IdToken: options.tokenSeconds, AccessToken: options.tokenSeconds, RefreshToken: 24 * 3600, Session: 24 * 3600, Interaction: 3600, Grant: 24 * 3600, AuthorizationCode: 60 },
    // The portal is this issuer's own first-party client: refresh tokens without an offline_access consent, no consent page.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (session?.accountId === undefined || client === undefined) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (existing !== undefined) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, id) => {
      const user = users.get(id);
      return user === undefined ? undefined : { accountId: id, claims: async () => claimsOf(user) as { sub: string } };
    },
    pkce: { required: () => true },
    renderError: async (ctx, out) => {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = `<!doctype html><meta charset="utf-8"><title>Sign-in error</title><p>${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p>`;
    },
  };
  // Loaded here, not at import: the CLI imports the paths above and should not load a provider.
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));

  const tokenFor = async (userId: string, seconds = options.tokenSeconds): Promise<string> => {
    const user = users.get(userId);
    if (user === undefined) throw new Error(`no demo user ${userId}: one of ${[...users.keys()].join(', ')}`);
    const { sub: _sub, ...claims } = claimsOf(user);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(user.id)
      .setIssuer(issuer)
      .setAudience(LOCAL_CLIENT_ID)
      .setIssuedAt(Math.min(now, now + seconds))
      .setExpirationTime(now + seconds)
      .sign(privateKey);
  };

  /** The sign-in page: one button per demo user (a real issuer asks for a password here). */
  const loginPage = async (req: IncomingMessage, res: ServerResponse, uid: string) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const buttons = options.users
      .map((u) => `<button type="submit" name="user" value="${escapeHtml(u.id)}" data-user="${escapeHtml(u.id)}">${escapeHtml(u.name)}</button>`)
      .join('\n');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      // With no-referrer the browser posts the form with `Origin: null`, which the server refuses like any foreign origin.
      'referrer-policy': 'same-origin',
    });
    res.end(`<!doctype html><html lang="zh"><meta charset="utf-8"><title>登录 Sign in · local identity provider</title>
<style>body{font-family:sans-serif;max-width:30rem;margin:3rem auto}button{display:block;width:100%;margin:.4rem 0;padding:.6rem;font-size:1rem}</style>
<h1>登录 Sign in</h1><p>本地身份提供方：选择演示用户 · Local identity provider: choose a demo user</p>
<form method="post" action="${ISSUER_PATH}/interaction/${escapeHtml(uid)}/login">${buttons}</form></html>`);
  };

  const finishLogin = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const userId = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('user') ?? '';
    if (!users.has(userId)) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'unknown demo user' }, { mergeWithLastSubmission: false });
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: userId } }, { mergeWithLastSubmission: false });
  };

  const devToken = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let userId: unknown;
    let seconds: unknown;
    try {
      ({ user: userId, seconds } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { user?: unknown; seconds?: unknown });
    } catch {
      userId = undefined;
    }
    res.setHeader('cache-control', 'no-store');
    if (typeof userId !== 'string' || !users.has(userId)) {
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: `user must be one of ${[...users.keys()].join(', ')}` }));
      return;
    }
    // A lifetime may be asked for (below zero: already expired, for tests of the refusal); at most a day.
    const lifetime = Number.isInteger(seconds) && Math.abs(seconds as number) <= 86_400 ? (seconds as number) : options.tokenSeconds;
    const token = await tokenFor(userId, lifetime);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ token, expires_at: new Date(Date.now() + lifetime * 1000).toISOString() }));
  };

  return {
    issuer,
    clientId: LOCAL_CLIENT_ID,
    tokenFor,
    verify: async (token) => (await jwtVerify(token, jwks, { issuer, audience: LOCAL_CLIENT_ID, algorithms: ['RS256'] })).payload,
    async handle(req, res) {
      const path = new URL(req.url ?? '/', options.origin).pathname;
      const interaction = /^\/oidc\/interaction\/([\w-]+)(\/login)?$/.exec(path);
      if (interaction !== null) {
        if (interaction[2] === undefined && req.method === 'GET') return loginPage(req, res, interaction[1]!);
        if (interaction[2] !== undefined && req.method === 'POST') return finishLogin(req, res);
      }
      if (path === DEV_TOKEN_PATH && req.method === 'POST') return devToken(req, res);
      // Mounted as connect would mount it: the provider sees the path below its mount point.
      const mounted = req as IncomingMessage & { originalUrl?: string };
      mounted.originalUrl = req.url;
      req.url = (req.url ?? '/').slice(ISSUER_PATH.length) || '/';
      await callback(req, res);
    },
  };
}
