import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { reconciliationCron } from '../../infra/constructs/reconciliation.js';
import { createTestApp, synthesizedStack, logicalId, type ConstructWithResource, liveAliasRef } from '../helpers/cdk-app.js';

type Construct = ConstructWithResource;

/** One formatter per zone: making one costs far more than formatting, and the test formats hundreds of thousands of instants. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time `hh:mm` of an instant in a zone. */
function wallTime(instant: number, zone: string): string {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, format);
  }
  return format.format(instant);
}

/** Whether `hh:mm` happens on the calendar day that starts (UTC) at `day`, in the zone: not skipped by a DST gap. */
function happens(day: number, time: string, zone: string): boolean {
  const [h, m] = time.split(':').map(Number) as [number, number];
  // Every instant within ±15 h of that wall time, in quarter hours: one of them shows it if it exists.
  for (let offset = -15 * 60; offset <= 15 * 60; offset += 15) {
    const instant = day + (h * 60 + m - offset) * 60_000;
    if (wallTime(instant, zone) === time) return true;
  }
  return false;
}

describe('schedules', () => {
  it('reconcile at a time that exists on every day, in zones with daylight saving', () => {
    // Prepare: the time of the cron expression, and zones whose clocks jump at 00:00, 02:00 and 03:00.
    const [minute, hour] = reconciliationCron(28).replace('cron(', '').split(' ') as [string, string];
    const time = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
    const zones = ['Europe/Berlin', 'Europe/Helsinki', 'America/New_York', 'America/Santiago', 'Australia/Sydney', 'Asia/Beirut'];
    const days = Array.from({ length: 366 }, (_, i) => Date.UTC(2027, 0, 1) + i * 86_400_000);

    // Act
    const skipped = zones.flatMap((zone) => days.filter((day) => !happens(day, time, zone)).map((day) => `${zone} ${new Date(day).toISOString().slice(0, 10)}`));

    // Assess: 02:00 would be skipped in most of these zones once a year; this time never is.
    expect(time).toBe('04:30');
    expect(days.filter((day) => !happens(day, '02:30', 'Europe/Berlin'))).toHaveLength(1);
    expect(skipped).toEqual([]);
  });
});

describe('sizing from configuration', () => {
  it('caps ingest and dealer concurrency as configured, and stretches the backlog alarms to match', () => {
    // Prepare
    const { stack } = createTestApp({ context: { 'backoffice:dealerCount': '5000', 'backoffice:ingestConcurrency': '10', 'backoffice:reconcileConcurrency': '2' } });
    const template = Template.fromStack(stack);
    const backlogThreshold = (queue: Construct) =>
      Object.values(template.findResources('AWS::CloudWatch::Alarm')).find(
        (a) => a.Properties.MetricName === 'ApproximateAgeOfOldestMessage' && JSON.stringify(a.Properties.Dimensions).includes(logicalId(queue)),
      )!.Properties.Threshold as number;

    // Assess: concurrency on the event sources.
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: liveAliasRef(stack.intake.ingestFunction),
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: liveAliasRef(stack.reconciliation.reconcileDealerFunction),
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    // 5,000 dealers, 10 a batch, 2 batches at once, a minute each, twice over: 500 minutes.
    expect(backlogThreshold(stack.reconciliation.dealerQueue)).toBe(500 * 60);
    // A tenth of 10,000 uploads, 10 at once, half a minute each, twice over: 100 minutes.
    expect(backlogThreshold(stack.intake.queue)).toBe(100 * 60);
  });

  it('keeps an hour for the default thousand dealers at five at once', () => {
    const { template } = synthesizedStack();
    const thresholds = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .filter((a) => a.Properties.MetricName === 'ApproximateAgeOfOldestMessage')
      .map((a) => a.Properties.Threshold as number);

    // The report intake, the ledger intake (a fixed hour), the dealers' reconciliation and the
    // statistics requests; the projections of accepted reports, half an hour behind their verdicts.
    expect([...thresholds].sort((a, b) => a - b)).toEqual([1800, 3600, 3600, 3600, 3600]);
  });

  it('refuses a concurrency that is not a whole number of at least 1', () => {
    expect(() => createTestApp({ context: { 'backoffice:reconcileConcurrency': '0' } })).toThrow(/backoffice:reconcileConcurrency/);
  });
});
