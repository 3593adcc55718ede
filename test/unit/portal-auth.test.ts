import { describe, expect, it, vi } from 'vitest';
import { codeChallenge, completeSignIn, loadRuntimeConfig, signInUrl, signOutUrl, type KeyValueStore, type RuntimeConfig } from '../../portal/src/auth.js';

const cognito: Extract<RuntimeConfig, { auth: 'cognito' }> = {
  auth: 'cognito',
  clientId: 'portal-client',
  signInUrl: 'https://aftersales-123.auth.cn-north-1.amazoncognito.com',
  region: 'cn-north-1',
  userPoolId: 'cn-north-1_abc',
};
const portal = 'https://d111.cloudfront.net/';

function memoryStore(): KeyValueStore & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

const tokenEndpoint = (idToken: string) =>
  vi.fn<typeof fetch>(async () => new Response(JSON.stringify({ id_token: idToken, access_token: 'a', refresh_token: 'r' }), { status: 200 }));

describe('portal sign-in with Cognito (authorization code + PKCE)', () => {
  it('computes the S256 challenge of RFC 7636, appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('sends the browser to the Cognito page with the portal as the way back, a state and a challenge', async () => {
    const store = memoryStore();
    const url = new URL(await signInUrl(cognito, portal, store));

    expect(url.origin + url.pathname).toBe(`${cognito.signInUrl}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'portal-client',
      redirect_uri: portal,
      code_challenge_method: 'S256',
      state: store.items.get('backoffice.pkce.state'),
    });
    expect(url.searchParams.get('code_challenge')).toBe(await codeChallenge(store.items.get('backoffice.pkce.verifier') ?? ''));
  });

  it('trades the code for the ID token, proving the verifier, once', async () => {
    const store = memoryStore();
    const state = new URL(await signInUrl(cognito, portal, store)).searchParams.get('state');
    const verifier = store.items.get('backoffice.pkce.verifier');
    const fetcher = tokenEndpoint('the-id-token');

    const token = await completeSignIn(cognito, `${portal}?code=abc&state=${state}`, portal, store, fetcher);

    expect(token).toBe('the-id-token');
    const [url, init] = fetcher.mock.calls[0] ?? [];
    expect(url).toBe(`${cognito.signInUrl}/oauth2/token`);
    expect(Object.fromEntries(new URLSearchParams(String(init?.body)))).toEqual({
      grant_type: 'authorization_code', client_id: 'portal-client', code: 'abc', redirect_uri: portal, code_verifier: verifier,
    });
    expect(store.items.size).toBe(0);
  });

  it('refuses a redirect whose state this tab did not send, without calling Cognito', async () => {
    const store = memoryStore();
    await signInUrl(cognito, portal, store);
    const fetcher = tokenEndpoint('stolen');

    expect(await completeSignIn(cognito, `${portal}?code=abc&state=forged`, portal, store, fetcher)).toBeNull();
    expect(fetcher).not.toHaveBeenCalled();
  });

  it('signs out of Cognito and comes back to the portal', () => {
    const url = new URL(signOutUrl(cognito, portal));
    expect(url.pathname).toBe('/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'portal-client', logout_uri: portal });
  });

  it('uses the local sign-in when there is no config.json (npm start), Cognito when the deployment wrote one', async () => {
    const missing = vi.fn<typeof fetch>(async () => new Response('not found', { status: 404 }));
    const deployed = vi.fn<typeof fetch>(async () => new Response(JSON.stringify(cognito), { status: 200 }));
    expect(await loadRuntimeConfig(missing)).toEqual({ auth: 'local' });
    expect(await loadRuntimeConfig(deployed)).toEqual(cognito);
  });
});
