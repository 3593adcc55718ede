/**
 * The signed-in tab: its tokens (kept in the tab's session storage, renewed by the refresh
 * token a minute before they expire) and the API called with them. No secret is in the page:
 * files go to and come from S3 through the presigned links the API hands out.
 */
import type { AuthorizationServer } from 'oauth4webapi';
import { refreshSession, type RuntimeConfig, type Session } from './auth.js';
import { lang } from './i18n.js';

type Json = any;

const SESSION_KEY = 'backoffice.session';
/** Where a sign-in that was cut short (an expired session) wanted to go: the page after sign-in. */
const RETURN_KEY = 'backoffice.return-to';

let runtime: RuntimeConfig | null = null;
let issuer: AuthorizationServer | null = null;
let onExpired: () => void = () => undefined;

/** How to sign in, once `/config.json` and the issuer's endpoints are known. */
export function useIssuer(config: RuntimeConfig | null, server: AuthorizationServer | null): void {
  runtime = config;
  issuer = server;
}
export const signInSetup = (): { runtime: RuntimeConfig; issuer: AuthorizationServer } | null => (runtime === null || issuer === null ? null : { runtime, issuer });

/** What the page does when the API says the session is over (401). */
export function whenSessionExpires(handler: () => void): void {
  onExpired = handler;
}

export const storedSession = (): Session | null => JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
export const keepSession = (session: Session): void => sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
export const forgetSession = (): void => sessionStorage.removeItem(SESSION_KEY);
export const rememberReturn = (hash: string): void => sessionStorage.setItem(RETURN_KEY, hash);
export function takeReturn(): string | null {
  const hash = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return hash;
}

async function currentToken(): Promise<string | null> {
  const session = storedSession();
  if (session === null) return null;
  if (session.expiresAt - Date.now() > 60_000 || runtime === null || issuer === null) return session.idToken;
  const renewed = await refreshSession(runtime, issuer, session);
  if (renewed === null) return session.idToken;
  keepSession(renewed);
  return renewed.idToken;
}

/**
 * The API's message in the page's language. Some Chinese messages still name the command-line
 * flag that fills the field (`（--reason）`): meaningless on a screen, so left out here.
 */
export const messageOf = (issue: { message: string; message_zh: string }): string =>
  lang() === 'zh' ? issue.message_zh.replace(/（--[^）]*）/g, '') : issue.message;

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: Json) {
    super(body?.error ? messageOf(body.error) : `HTTP ${status}`);
  }
}

export async function api(method: string, path: string, body?: unknown): Promise<Json> {
  const token = await currentToken();
  const response = await fetch(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) {
    forgetSession();
    onExpired();
    throw new ApiError(401, await response.json().catch(() => null));
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Saves a file the API answers with itself (templates), since a plain link cannot carry the token. */
export async function downloadFromApi(path: string, fileName: string): Promise<void> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${(await currentToken()) ?? ''}` } });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
