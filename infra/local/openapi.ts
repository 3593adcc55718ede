import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { ROUTES } from '../../functions/api.js';
import { EXPORT_ROUTES } from '../../functions/routes/exports.js';
import { grantsOf } from '../../shared/domain/access.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';

/**
 * The OpenAPI 3.1 document of the HTTP API, made from the router's own zod schemas so that
 * what is documented is what is checked. `npm run openapi` writes it to docs/openapi.json;
 * a test fails when the committed file no longer matches the router.
 */
const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'message_zh'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, message_zh: { type: 'string' } },
    },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** The routes that answer a workbook rather than JSON (test/unit/api-fuzz.test.ts fails for one missing here). */
const FILE_ROUTES: ReadonlySet<string> = new Set([
  '/api/templates/{type}',
  '/api/dealers/{dealer}/consolidated/workbook',
  '/api/forms/workbook',
  '/api/dealer-archive',
  '/api/dealers/{dealer}/reconciliations/{period}',
  ...EXPORT_ROUTES.map((route) => route.path),
]);

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const params = jsonSchema(route.params) as { properties?: Record<string, unknown> };
    const query = jsonSchema(route.query) as { properties?: Record<string, unknown>; required?: string[] };
    const roles = [...new Set(route.actions.flatMap((action) => Object.entries(grantsOf(action)).map(([role, reach]) => (reach === 'own' ? `${role} (own dealer)` : role))))];
    const binary = route.method === 'GET' && FILE_ROUTES.has(route.path);
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      summary: route.summary,
      'x-roles': roles.length === 0 ? ['any signed-in user'] : roles,
      parameters: [
        ...Object.entries(params.properties ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
        ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: (query.required ?? []).includes(name), schema })),
      ],
      ...(route.body === null ? {} : { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } }),
      responses: {
        [route.method === 'POST' && route.path.endsWith('/uploads') ? '201' : route.path.endsWith('/record') ? '202' : '200']: binary
          ? { description: 'The workbook', content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } } }
          : { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
        // Workbooks made off the request path: asked for (POST), or read while being made.
        ...(/^\/api\/(statistics|reconciliations)\//.test(route.path) ? { '202': { description: 'Being prepared: `{ "status": "preparing" }`; ask again later', content: { 'application/json': { schema: { type: 'object' } } } } } : {}),
        '400': errorResponse('The request does not match the schema'),
        '401': errorResponse('No valid token'),
        '403': errorResponse('The caller may not do this, or not for this dealer'),
        '404': errorResponse('Not found, or not the caller’s to see'),
        ...(route.path.endsWith('/status') ? { '409': errorResponse('The status change is not allowed from the current status') } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'After-sales back office API',
      version: '1.0.0',
      description:
        'Dealers upload monthly reports through presigned POSTs and read their results; finance reads invoices and statistics and moves invoice statuses. Roles come from the Cognito groups in the JWT (`cognito:groups`), a dealer user also carries `custom:dealer_code`. Every error body is `{ "error": { "code", "message", "message_zh" } }`.',
    },
    security: [{ cognito: [] }],
    components: {
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: ERROR },
    },
    paths,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await writeFile('docs/openapi.json', `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  console.log('wrote docs/openapi.json');
}
