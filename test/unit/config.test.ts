import { describe, expect, it } from 'vitest';
import { configEnvironment, loadConfig } from '../../shared/config.js';

describe('the configuration', () => {
  it('reads back from the environment it writes, every setting kept', () => {
    // Prepare
    const config = loadConfig({
      TABLE_NAME: 't-1',
      UPLOADS_BUCKET: 'u-1',
      REPORTS_BUCKET: 'r-1',
      INVOICES_BUCKET: 'i-1',
      BUSINESS_TIME_ZONE: 'Europe/Berlin',
      RETURN_WINDOW_DAYS: '45',
      RECONCILIATION_DAY: '7',
      MAX_UPLOAD_BYTES: '1000',
      MAX_UPLOAD_ROWS: '10',
      RECONCILE_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/reconcile',
      METRICS_NAMESPACE: 'Test',
      AWS_REGION: 'cn-northwest-1',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      S3_ENDPOINT: 'http://127.0.0.1:4569',
    });

    // Act
    const again = loadConfig(configEnvironment(config));

    // Assess
    expect(again).toEqual(config);
  });

  it('leaves out the endpoints and the queue a configuration has none of', () => {
    const environment = configEnvironment(loadConfig({}));
    expect(Object.keys(environment)).not.toContain('DYNAMODB_ENDPOINT');
    expect(Object.keys(environment)).not.toContain('S3_ENDPOINT');
    expect(Object.keys(environment)).not.toContain('RECONCILE_QUEUE_URL');
    expect(loadConfig(environment)).toEqual(loadConfig({}));
  });
});
