import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortalServer, type PortalServer } from '../../infra/local/api-server.js';
import { freshStack } from '../helpers/local-stack.js';

/**
 * The local API server refuses what the deployed edge refuses (infra/edge.ts): the WAF's 8 KB
 * body rule but on the request-workbook route, API Gateway's 10 MB payload and 29 s
 * integration, Lambda's 6 MB response. The function behind it here answers what a test asks.
 */
let server: PortalServer;
let token: string;
const reached: string[] = [];
let answer: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> = async () => ({ statusCode: 200, body: '{}' });

beforeAll(async () => {
  const config = await freshStack();
  server = await startPortalServer({
    config,
    handler: (event) => {
      reached.push(event.rawPath);
      return answer(event);
    },
    integrationTimeoutMs: 1_000,
  });
  token = await server.signIn('dealer-d001');
});

afterAll(async () => {
  await server?.stop();
});

const post = async (path: string, bytes: number) => {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ workbook: 'A'.repeat(bytes) }),
  });
  return { status: response.status, json: (await response.json()) as { error?: { code: string; message_zh: string } } };
};

describe('the local edge, as deployed', () => {
  it('blocks a body over 8 KB as the WAF does, before the function', async () => {
    reached.length = 0;
    const answer = await post('/api/dealers/D001/requests', 9 * 1024);
    expect(answer).toMatchObject({ status: 403, json: { error: { code: 'blocked_by_firewall', message_zh: expect.any(String) } } });
    expect(reached).toEqual([]);
  });

  it('lets a material-request workbook of 256 KiB (base64) through to the function: the firewall’s override for that route', async () => {
    reached.length = 0;
    const answer = await post('/api/dealers/D001/requests/workbook', Math.ceil((256 * 1024) / 3) * 4);
    expect(answer.status).toBe(200);
    expect(reached).toEqual(['/api/dealers/D001/requests/workbook']);
  });

  it('refuses a request over API Gateway’s 10 MB with 413', async () => {
    expect((await post('/api/dealers/D001/requests/workbook', 10 * 1024 * 1024 + 1)).status).toBe(413);
  });

  it('answers 500 for a function response over Lambda’s 6 MB', async () => {
    answer = async () => ({ statusCode: 200, body: 'x'.repeat(6 * 1024 * 1024 + 1) });
    const response = await fetch(`${server.url}/api/messages`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('response_too_large');
  });

  it('answers 504 when the function has not answered within the integration timeout', async () => {
    answer = () => new Promise(() => undefined);
    const response = await fetch(`${server.url}/api/messages`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('gateway_timeout');
  });
});
