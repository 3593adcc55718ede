/**
 * What the edge in front of the API enforces on AWS, named once: the CDK constructs deploy it
 * (infra/constructs/firewall.ts) and the local API server applies the same numbers
 * (infra/local/api-server.ts), so a request that AWS would refuse is refused locally too.
 * Pure: `npm start` imports it without loading the CDK.
 */

/** The WAF's AWSManagedRulesCommonRuleSet, rule SizeRestrictions_BODY: a body over 8 KB is blocked (403). */
export const WAF_BODY_LIMIT_BYTES = 8 * 1024;

/** The label that rule adds when it matches; the firewall blocks on it outside the routes below. */
export const WAF_BODY_SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/**
 * The one route that takes a bigger body: a material-request workbook, base64 in JSON, up to
 * 256 KiB (functions/routes/requests.ts). A WAF regex on the URI path (no query), as deployed.
 */
export const LARGE_BODY_PATH_REGEX = '^/api/dealers/[A-Za-z0-9_-]{1,32}/requests/workbook$';

/** API Gateway (HTTP API): the most a request may carry. */
export const GATEWAY_PAYLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/** Lambda: the most a synchronous invocation's response may be; larger fails the integration. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

/** API Gateway ends an integration after this long, whatever the function's own timeout. */
export const GATEWAY_INTEGRATION_TIMEOUT_MS = 29_000;
