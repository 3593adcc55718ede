import { generateKeyPair, SignJWT } from 'jose';
import { calculatePKCECodeChallenge } from 'oauth4webapi';
import { describe, expect, it, vi } from 'vitest';
import { authorizationServer, completeSignIn, loadRuntimeConfig, refreshSession, signInUrl, signOutUrl, type KeyValueStore, type RuntimeConfig } from '../../portal/src/auth.js';

const cognito: Extract<RuntimeConfig, { auth: 'cognito' }> = {
  auth: 'cognito',
  clientId: 'portal-client',
  signInUrl: 'https://aftersales-123.auth.us-east-1.amazoncognito.com',
  region: 'us-east-1',
  userPoolId: 'us-east-1_abc',
};
const issuerOf = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc';
const portal = 'https://d111.cloudfront.net/';

function memoryStore(): KeyValueStore & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

const { privateKey } = await generateKeyPair('RS256');
const idToken = (iss = issuerOf) =>
  new SignJWT({ 'cognito:groups': ['finance'] }).setProtectedHeader({ alg: 'RS256' }).setIssuer(iss).setAudience('portal-client').setSubject('u-1').setIssuedAt().setExpirationTime('1h').sign(privateKey);

const tokenEndpoint = (body: () => Promise<Record<string, unknown>>) =>
  vi.fn<typeof fetch>(async () => new Response(JSON.stringify(await body()), { status: 200, headers: { 'content-type': 'application/json' } }));

describe('portal sign-in with an OpenID Connect issuer (authorization code + PKCE, refresh)', () => {
  it('sends the browser to the issuer with the portal as the way back, a state and an S256 challenge', async () => {
    const store = memoryStore();
    const as = await authorizationServer(cognito);
    const url = new URL(await signInUrl(cognito, as, portal, store));

    expect(url.origin + url.pathname).toBe(`${cognito.signInUrl}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'portal-client',
      redirect_uri: portal,
      code_challenge_method: 'S256',
      state: store.items.get('backoffice.pkce.state'),
    });
    expect(url.searchParams.get('code_challenge')).toBe(await calculatePKCECodeChallenge(store.items.get('backoffice.pkce.verifier') ?? ''));
  });

  it('trades the code for the ID token and a refresh token, proving the verifier, once', async () => {
    const store = memoryStore();
    const as = await authorizationServer(cognito);
    const state = new URL(await signInUrl(cognito, as, portal, store)).searchParams.get('state');
    const verifier = store.items.get('backoffice.pkce.verifier');
    const token = await idToken();
    const fetcher = tokenEndpoint(async () => ({ id_token: token, access_token: 'a', token_type: 'Bearer', refresh_token: 'r', expires_in: 3600 }));

    const session = await completeSignIn(cognito, as, `${portal}?code=abc&state=${state}`, portal, store, fetcher);

    expect(session).toMatchObject({ idToken: token, refreshToken: 'r' });
    const [url, init] = fetcher.mock.calls[0] ?? [];
    expect(String(url)).toBe(`${cognito.signInUrl}/oauth2/token`);
    expect(Object.fromEntries(new URLSearchParams(String(init?.body)))).toMatchObject({
      grant_type: 'authorization_code', client_id: 'portal-client', code: 'abc', redirect_uri: portal, code_verifier: verifier,
    });
    expect(store.items.size).toBe(0);
  });

  it('refuses a redirect whose state this tab did not send, without calling the issuer', async () => {
    const store = memoryStore();
    const as = await authorizationServer(cognito);
    await signInUrl(cognito, as, portal, store);
    const fetcher = tokenEndpoint(async () => ({}));

    expect(await completeSignIn(cognito, as, `${portal}?code=abc&state=forged`, portal, store, fetcher)).toBeNull();
    expect(fetcher).not.toHaveBeenCalled();
  });

  it('refuses an ID token from another issuer', async () => {
    const store = memoryStore();
    const as = await authorizationServer(cognito);
    const state = new URL(await signInUrl(cognito, as, portal, store)).searchParams.get('state');
    const other = await idToken('https://evil.example');
    const fetcher = tokenEndpoint(async () => ({ id_token: other, access_token: 'a', token_type: 'Bearer' }));

    expect(await completeSignIn(cognito, as, `${portal}?code=abc&state=${state}`, portal, store, fetcher)).toBeNull();
  });

  it('renews the ID token by the refresh token, keeping the refresh token when none comes back', async () => {
    const as = await authorizationServer(cognito);
    const token = await idToken();
    const fetcher = tokenEndpoint(async () => ({ id_token: token, access_token: 'a', token_type: 'Bearer', expires_in: 3600 }));

    const renewed = await refreshSession(cognito, as, { idToken: 'old', refreshToken: 'r', expiresAt: 0 }, fetcher);

    expect(renewed).toMatchObject({ idToken: token, refreshToken: 'r' });
    expect(Object.fromEntries(new URLSearchParams(String(fetcher.mock.calls[0]?.[1]?.body)))).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'r' });
    expect(await refreshSession(cognito, as, { idToken: 'old', expiresAt: 0 }, fetcher)).toBeNull();
  });

  it("signs out at Cognito with Cognito's parameters, at any other issuer by RP-initiated logout", async () => {
    const url = new URL(signOutUrl(cognito, await authorizationServer(cognito), portal, null)!);
    expect(url.pathname).toBe('/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'portal-client', logout_uri: portal });
    const oidc: RuntimeConfig = { auth: 'oidc', issuer: 'https://sso.example.cn/realms/a', clientId: 'portal' };
    const other = new URL(signOutUrl(oidc, { issuer: oidc.issuer, end_session_endpoint: 'https://sso.example.cn/realms/a/logout' }, portal, 'tok')!);
    expect(Object.fromEntries(other.searchParams)).toEqual({ client_id: 'portal', post_logout_redirect_uri: portal, id_token_hint: 'tok' });
  });

  it('reads the issuer from config.json, and has none without it', async () => {
    const missing = vi.fn<typeof fetch>(async () => new Response('not found', { status: 404 }));
    const deployed = vi.fn<typeof fetch>(async () => new Response(JSON.stringify(cognito), { status: 200 }));
    expect(await loadRuntimeConfig(missing)).toBeNull();
    expect(await loadRuntimeConfig(deployed)).toEqual(cognito);
  });
});
