import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ProjectionJob, ProjectionJobs } from '../app/ports.js';

/** The projection queue on AWS: one message per accepted report version, which the projection worker takes (functions/project-report.ts). */
export function sqsProjectionJobs(queueUrl: string, client: SQSClient): ProjectionJobs {
  return {
    async request(job: ProjectionJob) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job) }));
    },
  };
}
