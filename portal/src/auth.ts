import * as oauth from 'oauth4webapi';

/**
 * How the portal signs in: with any OpenID Connect issuer, by the authorization code flow with
 * PKCE (oauth4webapi), so no secret is ever in the page, and with token refresh. `/config.json`
 * names the issuer: on AWS written by the CDK Portal construct (the stack's Cognito user pool,
 * or the customer's identity provider); locally served by `npm start` with its own OpenID
 * Connect provider. The token kept is the ID token: it carries the role and dealer claims,
 * and its audience is the portal's client, which the API's JWT authorizer checks.
 */

export type RuntimeConfig =
  | { readonly auth: 'oidc'; readonly issuer: string; readonly clientId: string }
  | { readonly auth: 'cognito'; readonly clientId: string; readonly signInUrl: string; readonly region: string; readonly userPoolId: string };

/** The part of sessionStorage the sign-in needs. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What a sign-in or a refresh leaves: the ID token to call the API with, and how to renew it. */
export interface Session {
  readonly idToken: string;
  readonly refreshToken?: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

const VERIFIER_KEY = 'backoffice.pkce.verifier';
const STATE_KEY = 'backoffice.pkce.state';
const SCOPES = 'openid email profile';

/** `/config.json`; null when it is missing or names no issuer (the portal then cannot sign in). */
export async function loadRuntimeConfig(fetcher: typeof fetch = fetch): Promise<RuntimeConfig | null> {
  const response = await fetcher('/config.json').catch(() => null);
  if (response === null || !response.ok) return null;
  const config = (await response.json().catch(() => null)) as RuntimeConfig | null;
  return config?.auth === 'cognito' || config?.auth === 'oidc' ? config : null;
}

/** Plain http is allowed for the local issuer only (npm start on this machine). */
const isLocal = (url: string): boolean => /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(`${url}/`);

const options = (config: RuntimeConfig, fetcher: typeof fetch) => ({
  [oauth.customFetch]: fetcher,
  ...(config.auth === 'oidc' && isLocal(config.issuer) ? { [oauth.allowInsecureRequests]: true } : {}),
});

/**
 * The issuer's endpoints: from its discovery document, or (Cognito) from the hosted sign-in
 * domain, whose endpoints are fixed and which the page's content security policy already admits.
 */
export async function authorizationServer(config: RuntimeConfig, fetcher: typeof fetch = fetch): Promise<oauth.AuthorizationServer> {
  if (config.auth === 'cognito') {
    return {
      issuer: `https://cognito-idp.${config.region}.amazonaws.com${config.region.startsWith('cn-') ? '.cn' : ''}/${config.userPoolId}`,
      authorization_endpoint: `${config.signInUrl}/oauth2/authorize`,
      token_endpoint: `${config.signInUrl}/oauth2/token`,
      end_session_endpoint: `${config.signInUrl}/logout`,
    };
  }
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options(config, fetcher)));
}

/** Where to send the browser to sign in; remembers the verifier and state for the way back. */
export async function signInUrl(config: RuntimeConfig, as: oauth.AuthorizationServer, redirectUri: string, store: KeyValueStore): Promise<string> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  store.setItem(VERIFIER_KEY, verifier);
  store.setItem(STATE_KEY, state);
  const url = new URL(as.authorization_endpoint!);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: SCOPES,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  return url.href;
}

const sessionOf = (result: oauth.TokenEndpointResponse, previous?: Session): Session | null => {
  const idToken = result.id_token ?? null;
  if (idToken === null) return null;
  const refreshToken = result.refresh_token ?? previous?.refreshToken;
  return { idToken, ...(refreshToken === undefined ? {} : { refreshToken }), expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000 };
};

/**
 * Finishes a sign-in when the page is the issuer's redirect back (`?code=…&state=…`): trades
 * the code for tokens. Null when the page is not such a redirect, when its state is not the
 * one this tab sent (a forged or replayed redirect), or when the issuer refuses the code.
 */
export async function completeSignIn(
  config: RuntimeConfig,
  as: oauth.AuthorizationServer,
  pageUrl: string,
  redirectUri: string,
  store: KeyValueStore,
  fetcher: typeof fetch = fetch,
): Promise<Session | null> {
  const expected = store.getItem(STATE_KEY);
  const verifier = store.getItem(VERIFIER_KEY);
  store.removeItem(STATE_KEY);
  store.removeItem(VERIFIER_KEY);
  if (expected === null || verifier === null) return null;
  const client: oauth.Client = { client_id: config.clientId };
  try {
    const params = oauth.validateAuthResponse(as, client, new URL(pageUrl), expected);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, options(config, fetcher));
    return sessionOf(await oauth.processAuthorizationCodeResponse(as, client, response));
  } catch {
    return null;
  }
}

/** A new ID token by the refresh token, before the old one expires; null when the issuer refuses (sign in again). */
export async function refreshSession(config: RuntimeConfig, as: oauth.AuthorizationServer, session: Session, fetcher: typeof fetch = fetch): Promise<Session | null> {
  if (session.refreshToken === undefined) return null;
  const client: oauth.Client = { client_id: config.clientId };
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), session.refreshToken, options(config, fetcher));
    return sessionOf(await oauth.processRefreshTokenResponse(as, client, response), session);
  } catch {
    return null;
  }
}

/** Where to send the browser to sign out at the issuer too, and come back to the portal. */
export function signOutUrl(config: RuntimeConfig, as: oauth.AuthorizationServer, redirectUri: string, idToken: string | null): string | null {
  if (as.end_session_endpoint === undefined) return null;
  const url = new URL(as.end_session_endpoint);
  // Cognito's logout takes its own parameters; every other issuer OpenID Connect RP-initiated logout's.
  const query: Record<string, string> =
    config.auth === 'cognito'
      ? { client_id: config.clientId, logout_uri: redirectUri }
      : { client_id: config.clientId, post_logout_redirect_uri: redirectUri, ...(idToken === null ? {} : { id_token_hint: idToken }) };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.href;
}
