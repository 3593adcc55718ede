import type { BackOfficeConfig } from '../../shared/config.js';
import { createBackOffice, type BackOffice } from '../../shared/compose.js';
import { iamCheckedClients } from '../../infra/local/iam/check.js';
import type { FunctionName } from '../../infra/local/iam/policy-file.js';

/**
 * The back office of one Lambda function on the local servers: every DynamoDB and S3 call it
 * makes is evaluated against that function's synthesized policy and refused as AWS would
 * (infra/local/iam/check.ts). Build the handler a test drives from the function it stands for.
 */
export const backOfficeAs = (config: BackOfficeConfig, fn: FunctionName): BackOffice => createBackOffice(config, iamCheckedClients(config, fn));
