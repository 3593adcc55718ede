/**
 * How the portal signs in. Locally (`npm start`) the server signs demo users in itself; on
 * AWS, `/config.json` (written by the CDK Portal construct) names the Cognito user pool, and
 * the portal uses Cognito's sign-in page with the authorization code flow and PKCE, so no
 * secret is ever in the page. The token kept is the ID token: it is the one that carries
 * `cognito:groups` and `custom:dealer_code`, and its audience is the portal's client, which
 * the API's JWT authorizer checks.
 */

export type RuntimeConfig =
  | { readonly auth: 'local' }
  | { readonly auth: 'cognito'; readonly clientId: string; readonly signInUrl: string; readonly region: string; readonly userPoolId: string };

/** The part of sessionStorage the sign-in needs. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const VERIFIER_KEY = 'backoffice.pkce.verifier';
const STATE_KEY = 'backoffice.pkce.state';
const SCOPES = 'openid email profile';

/** `/config.json` when it is there (AWS), the local sign-in otherwise. */
export async function loadRuntimeConfig(fetcher: typeof fetch = fetch): Promise<RuntimeConfig> {
  const response = await fetcher('/config.json').catch(() => null);
  if (response === null || !response.ok) return { auth: 'local' };
  const config = (await response.json().catch(() => null)) as RuntimeConfig | null;
  return config?.auth === 'cognito' ? config : { auth: 'local' };
}

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** RFC 7636: the S256 code challenge of a verifier. */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

const randomToken = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** Where to send the browser to sign in; remembers the verifier and state for the way back. */
export async function signInUrl(config: Extract<RuntimeConfig, { auth: 'cognito' }>, redirectUri: string, store: KeyValueStore): Promise<string> {
  const verifier = randomToken();
  const state = randomToken();
  store.setItem(VERIFIER_KEY, verifier);
  store.setItem(STATE_KEY, state);
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: SCOPES,
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return `${config.signInUrl}/oauth2/authorize?${query}`;
}

/**
 * Finishes a sign-in when the page is Cognito's redirect back (`?code=…&state=…`): trades the
 * code for tokens and returns the ID token. Null when the page is not such a redirect, or when
 * its state is not the one this tab sent (a forged or replayed redirect).
 */
export async function completeSignIn(
  config: Extract<RuntimeConfig, { auth: 'cognito' }>,
  pageUrl: string,
  redirectUri: string,
  store: KeyValueStore,
  fetcher: typeof fetch = fetch,
): Promise<string | null> {
  const params = new URL(pageUrl).searchParams;
  const code = params.get('code');
  const state = params.get('state');
  const expected = store.getItem(STATE_KEY);
  const verifier = store.getItem(VERIFIER_KEY);
  store.removeItem(STATE_KEY);
  store.removeItem(VERIFIER_KEY);
  if (code === null || state === null || expected === null || verifier === null || state !== expected) return null;
  const response = await fetcher(`${config.signInUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.clientId, code, redirect_uri: redirectUri, code_verifier: verifier }),
  });
  if (!response.ok) return null;
  const tokens = (await response.json()) as { id_token?: string };
  return tokens.id_token ?? null;
}

/** Where to send the browser to sign out of Cognito too, and come back to the portal. */
export function signOutUrl(config: Extract<RuntimeConfig, { auth: 'cognito' }>, redirectUri: string): string {
  return `${config.signInUrl}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri })}`;
}
