import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';

/**
 * The one way a function in functions/ is observed and built: a factory of its dependencies
 * gets its Powertools here, and the `handler` Lambda calls is built from the composition root
 * (shared/compose.ts) on the first invocation.
 */

/** A Lambda handler as middy and the Node.js runtime call it. */
export type Handle<E, R> = (event: E, context: Context) => Promise<R>;

/** What every handler factory may be told besides its ports. */
export interface HandlerOptions {
  /** Overrides POWERTOOLS_LOG_LEVEL (on AWS, the function's log level); tests quiet a handler with it. */
  readonly logLevel?: LogLevel;
}

export interface PowertoolsOptions extends HandlerOptions {
  readonly service: string;
  /** Where the function's EMF metrics go; a function that publishes none names none and gets no metrics middleware. */
  readonly metrics?: { readonly namespace: string; readonly service?: string };
}

export interface Powertools {
  readonly logger: Logger;
  readonly tracer: Tracer;
  /**
   * The handler with its tracer segment, its logger's Lambda context and, when the function
   * has metrics, their flush. `correlationId` names what ties an invocation's log lines to
   * the request that caused it.
   */
  wrap<E, R>(handle: Handle<E, R>, options?: { readonly correlationId?: (event: E) => string | undefined }): Handle<E, R>;
}

/** One function's logger, tracer and (when it publishes them) metrics, and the middy wrapper over them. */
export function powertools(options: PowertoolsOptions & { readonly metrics: NonNullable<PowertoolsOptions['metrics']> }): Powertools & { readonly metrics: Metrics };
export function powertools(options: PowertoolsOptions): Powertools;
export function powertools(options: PowertoolsOptions): Powertools & { readonly metrics?: Metrics } {
  const logger = new Logger({ serviceName: options.service, ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }) });
  const tracer = new Tracer({ serviceName: options.service });
  // Metrics' own warnings (an invocation with nothing to publish) go through the function's log and its level.
  const metrics = options.metrics && new Metrics({ namespace: options.metrics.namespace, serviceName: options.metrics.service ?? options.service, logger });
  return {
    logger,
    tracer,
    ...(metrics === undefined ? {} : { metrics }),
    wrap<E, R>(handle: Handle<E, R>, how: { readonly correlationId?: (event: E) => string | undefined } = {}): Handle<E, R> {
      const wrapped = middy(handle).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger, { resetKeys: true }));
      const { correlationId } = how;
      if (correlationId !== undefined) {
        wrapped.use({
          before: (request) => {
            const id = correlationId(request.event);
            if (id !== undefined) logger.setCorrelationId(id);
          },
        });
      }
      if (metrics !== undefined) wrapped.use(logMetrics(metrics));
      return wrapped;
    },
  };
}

/**
 * The handler `build` makes, built on its first invocation and kept: importing a function's
 * module builds no client, so tests and the local runtime import the factories freely.
 */
export function lazily<E, R>(build: () => Handle<E, R>): Handle<E, R> {
  let built: Handle<E, R> | undefined;
  return (event, context) => {
    built ??= build();
    return built(event, context);
  };
}

const S3ObjectRecord = z.object({
  eventName: z.string(),
  eventTime: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), eTag: z.string().optional(), versionId: z.string().optional() }),
  }),
});
const S3Notification = z.object({ Records: z.array(S3ObjectRecord) });
/** One object an S3 notification announces. */
export type S3ObjectRecord = z.infer<typeof S3ObjectRecord>;

/** The ObjectCreated records of an S3 notification (the test event S3 sends first has none). */
export function s3Records(event: unknown): S3ObjectRecord[] {
  return S3Notification.parse(event).Records.filter((r) => r.eventName.startsWith('ObjectCreated:'));
}

/**
 * The handle of a function that takes in objects put into a bucket: the S3 notification
 * directly (the local stack) or through SQS (on AWS), where Powertools' batch processor
 * reports a failed message back alone so the others are not retried with it, and a batch
 * whose every message failed is answered like any other. `failed` logs a message's failure.
 */
export function s3ObjectHandle(
  takeObject: (record: S3ObjectRecord) => Promise<void>,
  failed: (message: SQSRecord, error: unknown) => void,
): Handle<S3Event | SQSEvent, SQSBatchResponse | void> {
  const processor = new BatchProcessor(EventType.SQS);
  const takeMessage = async (message: SQSRecord): Promise<void> => {
    try {
      const body: unknown = JSON.parse(message.body);
      // S3 sends a test event when the notification is first configured; it has no Records.
      if (typeof body === 'object' && body !== null && 'Records' in body) {
        for (const record of s3Records(body)) await takeObject(record);
      }
    } catch (error) {
      failed(message, error);
      throw error;
    }
  };
  return async (event, context) => {
    const first = event.Records[0] as { eventSource?: string } | undefined;
    if (first?.eventSource !== 'aws:sqs') {
      for (const record of s3Records(event)) await takeObject(record);
      return;
    }
    return processPartialResponse(event as SQSEvent, takeMessage, processor, { context, processInParallel: false, throwOnFullBatchFailure: false });
  };
}

/**
 * A reader of one kind of SQS message: the body as JSON, checked against its schema. A
 * message that is not one throws an error that names the message and, in both languages,
 * what it was expected to be (`what`), so that the batch reports it back and an admin finds
 * it in the log and, after the retries, in the dead-letter queue.
 */
export function messageReader<S extends z.ZodType>(schema: S, what: { readonly en: string; readonly zh: string }): (record: SQSRecord) => z.infer<S> {
  return (record) => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      throw new Error(`message ${record.messageId} is not JSON / 消息不是 JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`).join('; ');
      throw new Error(`message ${record.messageId} is not ${what.en} / 不是${what.zh}: ${issues}`);
    }
    return parsed.data;
  };
}
