import type { IConstruct } from 'constructs';
import { loadConfig } from '../shared/config.js';

/**
 * The business settings a deployment chooses, read from CDK context so that an admin can
 * change them without editing code: `npx cdk deploy -c backoffice:returnWindowDays=90`.
 */
export interface StackSettings {
  /** IANA zone in which periods, deadlines and schedules are counted. */
  readonly businessTimeZone: string;
  readonly returnWindowDays: number;
  /** Day of the month (1–28) on which the previous month is reconciled. */
  readonly reconciliationDay: number;
  readonly maxUploadBytes: number;
  readonly maxUploadRows: number;
  /** Subscribed to the alarm topic when given; otherwise subscribe people in the SNS console. */
  readonly alarmEmail?: string;
}

/** CDK context keys, each the `backoffice:` namespaced name of a setting. */
export const SETTINGS_CONTEXT = {
  businessTimeZone: 'backoffice:businessTimeZone',
  returnWindowDays: 'backoffice:returnWindowDays',
  reconciliationDay: 'backoffice:reconciliationDay',
  maxUploadBytes: 'backoffice:maxUploadBytes',
  maxUploadRows: 'backoffice:maxUploadRows',
  alarmEmail: 'backoffice:alarmEmail',
} as const satisfies Record<keyof StackSettings, string>;

/**
 * Reads the settings from context. Values go through the functions' own configuration
 * schema (shared/config.ts), so the defaults and the validation are the ones the Lambda
 * functions apply: a bad time zone fails `cdk synth`, not the first upload.
 */
export function readStackSettings(scope: IConstruct): StackSettings {
  const context = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    return value === undefined || value === null ? undefined : String(value);
  };
  const config = loadConfig({
    BUSINESS_TIME_ZONE: context(SETTINGS_CONTEXT.businessTimeZone),
    RETURN_WINDOW_DAYS: context(SETTINGS_CONTEXT.returnWindowDays),
    RECONCILIATION_DAY: context(SETTINGS_CONTEXT.reconciliationDay),
    MAX_UPLOAD_BYTES: context(SETTINGS_CONTEXT.maxUploadBytes),
    MAX_UPLOAD_ROWS: context(SETTINGS_CONTEXT.maxUploadRows),
  });
  const alarmEmail = context(SETTINGS_CONTEXT.alarmEmail);
  return {
    businessTimeZone: config.businessTimeZone,
    returnWindowDays: config.returnWindowDays,
    reconciliationDay: config.reconciliationDay,
    maxUploadBytes: config.maxUploadBytes,
    maxUploadRows: config.maxUploadRows,
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
  };
}

/** The environment variables shared/config.ts reads for these settings. */
export function settingsEnvironment(settings: StackSettings): Record<string, string> {
  return {
    BUSINESS_TIME_ZONE: settings.businessTimeZone,
    RETURN_WINDOW_DAYS: String(settings.returnWindowDays),
    RECONCILIATION_DAY: String(settings.reconciliationDay),
    MAX_UPLOAD_BYTES: String(settings.maxUploadBytes),
    MAX_UPLOAD_ROWS: String(settings.maxUploadRows),
  };
}
