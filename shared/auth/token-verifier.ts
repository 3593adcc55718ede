import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** The issuer whose tokens are trusted and the audience they must name (the portal's client id). */
export interface TokenCheck {
  readonly issuer: string;
  readonly audience: string;
}

/** The algorithms API Gateway's JWT authorizer accepts: the same tokens pass either way. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/** What a token the caller sent can be wrong with; anything else (the issuer unreachable) is not the caller's doing. */
const REFUSED = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JWKSNoMatchingKey,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
];

/**
 * The issuer's signing keys, found through its discovery document once and then cached by
 * jose (keys fetched again on an unknown `kid`, at most every 30 s).
 */
function discoveredKeys(issuer: string): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const load = async (): Promise<JWTVerifyGetKey> => {
    const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`The issuer's discovery document answered ${response.status}`);
    const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: unknown };
    if (typeof jwksUri !== 'string') throw new Error("The issuer's discovery document names no jwks_uri");
    return createRemoteJWKSet(new URL(jwksUri));
  };
  return async (header, token) => {
    keys ??= load().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return (await keys)(header, token);
  };
}

/**
 * What API Gateway's JWT authorizer does, for an API that has none (the REST API in the China
 * regions): the bearer token of the Authorization header, signed by the issuer, for the
 * audience, not expired. The token's claims, or null for anything else: no header, another
 * scheme, a bad signature, another issuer or audience, an expired token. An issuer that cannot
 * be reached is an error (the caller answers 500 and logs it), not a refusal.
 */
export function tokenVerifier(check: TokenCheck, keys: JWTVerifyGetKey = discoveredKeys(check.issuer)) {
  return async function verify(authorization: string | undefined): Promise<JWTPayload | null> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (match === null) return null;
    try {
      const { payload } = await jwtVerify(match[1]!, keys, { issuer: check.issuer, audience: check.audience, algorithms: ALGORITHMS });
      return payload;
    } catch (error) {
      if (REFUSED.some((kind) => error instanceof kind)) return null;
      throw error;
    }
  };
}
