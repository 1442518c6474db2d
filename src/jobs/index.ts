export type { NewJob } from "./enqueue.js";
export { enqueueJob, enqueueJobs } from "./enqueue.js";
export type { KeyedJobCounts } from "./key-prefix.js";
export { countJobsByKeyPrefix, withdrawQueuedJobs } from "./key-prefix.js";
export type { JobStatus, JobSummary } from "./queries.js";
export { listJobs, retryFailedJob } from "./queries.js";
export type { JobContext, JobHandler, JobLog, JobRunner, JobRunnerOptions } from "./runner.js";
export { createJobRunner, PermanentJobError, retryDelayMs } from "./runner.js";
