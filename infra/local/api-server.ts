import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createS3Client } from '../../shared/compose.js';
import { GATEWAY_INTEGRATION_TIMEOUT_MS, GATEWAY_PAYLOAD_LIMIT_BYTES, LAMBDA_RESPONSE_LIMIT_BYTES, LARGE_BODY_PATH_REGEX, WAF_BODY_LIMIT_BYTES } from '../edge.js';
import { createLocalIssuer, ISSUER_PATH, type LocalIssuer, type LocalUser } from './identity-provider.js';

/**
 * The local stand-in for API Gateway, its JWT authorizer, the OpenID Connect issuer and the
 * portal's CloudFront: one node:http server that runs a real OpenID Connect provider with the
 * demo users under /oidc (identity-provider.ts), verifies every /api request's token against
 * that issuer's JWKS, and hands the same API Gateway v2 event with the same claims to the same
 * Lambda handler as on AWS. Everything else is the portal's static files and its /config.json.
 */
export type DemoUser = LocalUser;

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'dealer-d001', name: '王伟 · 华东卫浴服务中心 (D001)', groups: ['dealer'], dealer: 'D001' },
  { id: 'dealer-d002', name: '李娜 · 华南洁具安装服务部 (D002)', groups: ['dealer'], dealer: 'D002' },
  { id: 'warehouse', name: '退料接收处 Return warehouse', groups: ['warehouse'] },
  { id: 'admin', name: '售后服务部 After-sales admin', groups: ['admin'] },
  { id: 'finance', name: '财务部 Finance', groups: ['finance'] },
  { id: 'manager', name: '上级领导 Manager', groups: ['manager'] },
];

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface StaticFile {
  readonly body: Uint8Array | string;
  readonly contentType: string;
  /** Named by its content's hash: cached for a year. Otherwise the browser asks every time. */
  readonly immutable?: boolean;
  /** The body gzipped, sent to a browser that accepts it. */
  readonly gzip?: Uint8Array;
}

export interface PortalServerOptions {
  readonly config: BackOfficeConfig;
  readonly handler: ApiHandler;
  /** The portal's files by path ('/' is the page); none for an API-only server. */
  readonly files?: ReadonlyMap<string, StaticFile>;
  readonly port?: number;
  /** How long a token is good for; an hour by default. */
  readonly tokenSeconds?: number;
  /** How long API Gateway waits for the function: 29 s, as deployed; tests shorten it. */
  readonly integrationTimeoutMs?: number;
}

export interface PortalServer {
  /** The portal's origin, the only one CORS lets in (http://127.0.0.1:PORT). */
  readonly url: string;
  /** The local OpenID Connect issuer (`<url>/oidc`), whose tokens the API accepts. */
  readonly issuer: string;
  /** A token for a demo user from the local issuer; `seconds` below zero makes one already expired. */
  signIn(userId: string, seconds?: number): Promise<string>;
  stop(): Promise<void>;
}

const largeBodyPath = new RegExp(LARGE_BODY_PATH_REGEX);

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

function uniformError(res: ServerResponse, status: number, code: string, message: string, message_zh: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: { code, message, message_zh } }));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const TIMED_OUT = Symbol('timed out');

/** The function's answer, or TIMED_OUT when API Gateway would have given up on it. */
async function withinIntegrationTimeout<T>(answer: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms)));
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Claims as API Gateway's JWT authorizer passes them on: every value a string, a list as `[a b]`. */
export function gatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [name, Array.isArray(value) ? `[${value.join(' ')}]` : String(value)]),
  );
}

function gatewayEvent(req: IncomingMessage, url: URL, body: Buffer, claims: Record<string, string>): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const textual = /json|text/.test(req.headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: { method: req.method ?? 'GET', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '', userAgent: req.headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: { jwt: { claims, scopes: [] } },
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body.length === 0 ? {} : { body: textual ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !textual,
  };
}

/** Lets the portal's origin POST uploads to the uploads bucket, as the CDK bucket's CORS rule does on AWS. */
async function allowBrowserUploads(config: BackOfficeConfig, origin: string): Promise<void> {
  await createS3Client(config).send(
    new PutBucketCorsCommand({
      Bucket: config.buckets.uploads,
      CORSConfiguration: { CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: ['POST'], AllowedHeaders: ['*'], MaxAgeSeconds: 600 }] },
    }),
  );
}

export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const tokenSeconds = options.tokenSeconds ?? 3600;
  let origin = '';
  // Made once the port is known (the issuer's address is the server's); requests wait for it.
  let resolveIdentity: (issuer: LocalIssuer) => void = () => undefined;
  const identity = new Promise<LocalIssuer>((resolve) => (resolveIdentity = resolve));
  const s3Origin = options.config.endpoints.s3 === undefined ? 'https://*.amazonaws.com.cn https://*.amazonaws.com' : new URL(options.config.endpoints.s3).origin;
  const pageSecurity = {
    ...SECURITY_HEADERS,
    // The portal's construct serves the same policy.
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${s3Origin}; form-action 'self' ${s3Origin}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`,
  };

  const serveApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    let claims: Record<string, string>;
    try {
      if (token === undefined) throw new Error('no token');
      claims = gatewayClaims((await (await identity).verify(token)) as Record<string, unknown>);
    } catch {
      return uniformError(res, 401, 'unauthorized', 'Sign in first (the token is missing, expired or not ours)', '请先登录（令牌缺失、已过期或无效）');
    }
    const body = await readBody(req, GATEWAY_PAYLOAD_LIMIT_BYTES);
    // What the edge answers instead of the function, as deployed (infra/edge.ts).
    if (body === null) return uniformError(res, 413, 'too_large', 'The request is larger than API Gateway takes (10 MB)', '请求内容超过 API 网关上限 (10 MB)');
    if (body.length > WAF_BODY_LIMIT_BYTES && !largeBodyPath.test(url.pathname)) {
      return uniformError(res, 403, 'blocked_by_firewall', 'The firewall refuses a request body over 8 KB here (SizeRestrictions_BODY)', '防火墙拒绝此处超过 8 KB 的请求内容');
    }
    const result = await withinIntegrationTimeout(options.handler(gatewayEvent(req, url, body, claims)), options.integrationTimeoutMs ?? GATEWAY_INTEGRATION_TIMEOUT_MS);
    if (result === TIMED_OUT) return uniformError(res, 504, 'gateway_timeout', 'The API did not answer within 29 seconds', 'API 未在 29 秒内响应');
    // Lambda refuses a response over 6 MB as it serialises it (the JSON the function returns), and API Gateway answers 500.
    if (Buffer.byteLength(JSON.stringify(result)) > LAMBDA_RESPONSE_LIMIT_BYTES) {
      return uniformError(res, 500, 'response_too_large', 'The answer is larger than Lambda returns (6 MB)', '响应内容超过 Lambda 上限 (6 MB)');
    }
    const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
    res.writeHead(result.statusCode ?? 200, headers);
    res.end(result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
  };

  /** What the portal's pages need to sign in, as the CDK Portal construct writes it on AWS. */
  const serveConfig = async (res: ServerResponse) => {
    const { issuer, clientId } = await identity;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ auth: 'oidc', issuer, clientId }));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined) {
      // Only the portal's own origin may call from a browser; any other origin gets no CORS grant.
      if (requestOrigin !== origin) return uniformError(res, 403, 'origin_refused', `Origin ${requestOrigin} may not call this API`, '不允许从该来源访问');
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
      return res.end();
    }
    const work = url.pathname.startsWith('/api/')
      ? serveApi(req, res, url)
      : url.pathname === ISSUER_PATH || url.pathname.startsWith(`${ISSUER_PATH}/`)
        ? identity.then((issuer) => issuer.handle(req, res))
        : url.pathname === '/config.json'
          ? serveConfig(res)
          : serveFile(req, res, url.pathname);
    work.catch((error: unknown) => {
      console.error('portal server:', (error as Error).message);
      if (!res.headersSent) uniformError(res, 500, 'internal_error', 'Something went wrong on our side; please try again', '系统出错，请稍后重试');
      else res.end();
    });
  });

  const serveFile = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const file = options.files?.get(path) ?? (path.includes('.') ? undefined : options.files?.get('/'));
    if (file === undefined) return uniformError(res, 404, 'not_found', 'No such file', '没有这个文件');
    const gzip = file.gzip !== undefined && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, {
      ...pageSecurity,
      'content-type': file.contentType,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(file.gzip === undefined ? {} : { vary: 'accept-encoding' }),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(gzip ? file.gzip : file.body);
  };

  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the portal server has no port');
  origin = `http://127.0.0.1:${address.port}`;
  const issuer = await createLocalIssuer({ origin, users: DEMO_USERS, claims: options.config.claims, tokenSeconds });
  resolveIdentity(issuer);
  await allowBrowserUploads(options.config, origin);
  return {
    url: origin,
    issuer: issuer.issuer,
    signIn: (userId, seconds) => issuer.tokenFor(userId, seconds),
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
