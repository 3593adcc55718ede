import { join } from 'node:path';
import { REPOSITORY } from '../repository.js';

/**
 * Each function's IAM policies as `cdk synth` writes them, with the table and bucket ARNs
 * written as placeholders (`{table}`, `{uploads}`, `{reports}`, `{invoices}`) that the local
 * IAM check (./check.ts) fills with a configuration's names. Kept in function-policies.json
 * so that a test process or `npm start` need not synthesize (about 10 s); a CDK test
 * (test/infra/function-policies.test.ts) synthesizes afresh and fails if the file is stale.
 */
export interface FunctionPolicies {
  /** The account and region the placeholders' ARNs are written in. */
  readonly account: string;
  readonly region: string;
  readonly functions: Readonly<Record<FunctionName, FunctionPolicy>>;
}

export interface FunctionPolicy {
  /** The role's logical id in the template, named in a refusal. */
  readonly role: string;
  readonly statements: readonly PolicyStatementJson[];
}

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** The functions bundled from functions/*.ts, by their file name, and their construct paths in the stack. */
export const FUNCTION_PATHS = {
  api: 'Api/Handler',
  ingest: 'Intake/Ingest',
  'ingest-ledger': 'LedgerIntake/LedgerWorker',
  'import-master': 'MasterData/ImportMaster',
  reconcile: 'Reconciliation/Reconcile',
  'reconcile-dealer': 'Reconciliation/ReconcileDealer',
  reminders: 'Reconciliation/Reminders',
  statistics: 'Statistics/StatisticsWorker',
  deadlines: 'Notices/Deadlines',
  'project-report': 'Projections/ProjectionWorker',
} as const;

export type FunctionName = keyof typeof FUNCTION_PATHS;

export const POLICY_ACCOUNT = '123456789012';
export const POLICY_REGION = 'local';

/** Where the precomputed policies are kept. */
export const POLICIES_FILE = join(REPOSITORY, 'infra', 'local', 'iam', 'function-policies.json');
