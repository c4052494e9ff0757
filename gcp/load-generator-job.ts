/**
 * `LoadGeneratorJob`: what `serving-stacks loadtest --fleet gcp --tasks N` runs. A Cloud Run v2
 * job whose tasks each run one shard of the schedule (the task count and each task's arguments
 * come in RunJob's overrides; the job's own count is the default), with its own service account
 * that may only predict on this topology's endpoints (a custom role holding
 * `aiplatform.endpoints.predict` alone, granted on each endpoint) and create and read objects in
 * its own CMEK bucket, and Direct VPC egress into the serving subnetwork so private ranges (the
 * endpoints' Private Service Connect addresses) are reached through the VPC.
 *
 * Without an image the job runs a clearly marked placeholder: a preview (and the offline plan)
 * shows it, `pulumi up` refuses it before anything is created.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { fitName, GCP_NAMING } from '../constructs';
import type { ComponentKey, ServingContext } from './serving-context';
import type { PrivateNetwork } from './serving-network';
import { statefulOptions } from './private/stateful-options';

/** What a job without a real image runs: nothing can pull it, and `pulumi up` refuses it. */
export const PLACEHOLDER_LOADGEN_IMAGE = 'placeholder.invalid/set-ml-serving-stacks-loadgenImage:none';

/** The only permission the generator needs on an endpoint (Vertex AI access control, IAM permissions: endpoints.predict). */
export const PREDICT_PERMISSION = 'aiplatform.endpoints.predict';
/** Tasks create their ready marker and result, and read the start time (Cloud Storage IAM roles). */
export const RESULT_BUCKET_ROLES = { create: 'roles/storage.objectCreator', read: 'roles/storage.objectViewer' } as const;

export interface LoadGeneratorJobArgs {
  readonly context: ServingContext;
  /** Endpoints the tasks may predict on, by topology name → `projects/…/locations/…/endpoints/…`. */
  readonly endpoints: Readonly<Record<string, pulumi.Input<string>>>;
  /** The serving network and subnetwork (Direct VPC egress). */
  readonly network: PrivateNetwork;
  /** Key of the results bucket; the Cloud Storage service agent must hold it (its grants are waited for). */
  readonly key: ComponentKey;
  /** @default PLACEHOLDER_LOADGEN_IMAGE, which `pulumi up` refuses */
  readonly image?: string;
  /** Tasks of an execution when RunJob does not override it. @default 1 */
  readonly taskCount?: number;
  /** Tasks running at once; 0 means as many as the quota allows (all shards must run together). @default 0 */
  readonly parallelism?: number;
  /** How long one task may run (Cloud Run jobs: at most 168 hours). @default 3600 */
  readonly taskTimeoutSeconds?: number;
  /** @default '1' */
  readonly cpu?: string;
  /** @default '2Gi' */
  readonly memory?: string;
}

/** Cloud Run jobs: a task times out after at most 168 h (cloud.google.com/run/docs/configuring/task-timeout). */
const MAX_TASK_TIMEOUT_SECONDS = 168 * 3600;
/** Cloud Run jobs: at most 10,000 tasks per job (cloud.google.com/run/docs/create-jobs). */
const MAX_TASKS = 10_000;

/** Every problem with the plain arguments (they decide what exists, so they are checked before anything is made). */
export function loadGeneratorJobProblems(args: Pick<LoadGeneratorJobArgs, 'taskCount' | 'parallelism' | 'taskTimeoutSeconds' | 'endpoints'>): string[] {
  const problems: string[] = [];
  const { taskCount = 1, parallelism = 0, taskTimeoutSeconds = 3600 } = args;
  if (!Number.isInteger(taskCount) || taskCount < 1 || taskCount > MAX_TASKS) problems.push(`taskCount: must be an integer from 1 to ${MAX_TASKS}, got ${taskCount}`);
  if (!Number.isInteger(parallelism) || parallelism < 0) problems.push(`parallelism: must be an integer >= 0 (0: as many as possible), got ${parallelism}`);
  if (!Number.isInteger(taskTimeoutSeconds) || taskTimeoutSeconds < 1 || taskTimeoutSeconds > MAX_TASK_TIMEOUT_SECONDS) {
    problems.push(`taskTimeoutSeconds: must be an integer from 1 to ${MAX_TASK_TIMEOUT_SECONDS} (168 hours), got ${taskTimeoutSeconds}`);
  }
  if (Object.keys(args.endpoints).length === 0) problems.push('endpoints: at least one endpoint to load-test, got none');
  return problems;
}

export class LoadGeneratorJob extends pulumi.ComponentResource {
  readonly job: gcp.cloudrunv2.Job;
  readonly serviceAccount: gcp.serviceaccount.Account;
  readonly predictRole: gcp.projects.IAMCustomRole;
  readonly bucket: gcp.storage.Bucket;
  /** Whether the job runs the placeholder image. */
  readonly placeholderImage: boolean;

  constructor(name: string, args: LoadGeneratorJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:LoadGeneratorJob', name, {}, opts);
    const problems = loadGeneratorJobProblems(args);
    if (problems.length > 0) throw new pulumi.RunError(`${name}: ${problems.join('; ')}`);
    const { context } = args;
    const { project, region } = context;
    this.placeholderImage = args.image === undefined;
    if (this.placeholderImage && !pulumi.runtime.isDryRun()) {
      throw new pulumi.RunError(
        `${name}: the load generator image is the placeholder (${PLACEHOLDER_LOADGEN_IMAGE}): set it with \`pulumi config set ml-serving-stacks:loadgenImage <region>-docker.pkg.dev/<project>/<repository>/loadgen:<tag>\` (README, "The load generator image"), or turn the fleet off (ml-serving-stacks:loadgen false)`,
      );
    }
    const base = [context.topologyName, context.environment, 'loadgen'];

    this.serviceAccount = new gcp.serviceaccount.Account(
      `${name}-sa`,
      { project, accountId: fitName(base, GCP_NAMING.serviceAccountId), displayName: `Load generator of ${context.topologyName} (${context.environment})` },
      { parent: this },
    );
    const member = pulumi.interpolate`serviceAccount:${this.serviceAccount.email}`;

    // No predefined role holds predict alone (roles/aiplatform.user can also deploy and delete).
    // A deleted custom role keeps its id for 7 days (IAM, "Deleting a custom role"): a recreated
    // stack within that window needs another environment name.
    this.predictRole = new gcp.projects.IAMCustomRole(
      `${name}-predict`,
      {
        project,
        roleId: fitName(base, GCP_NAMING.serviceAccountId).replace(/-/g, '_') + '_predict',
        title: `Predict on ${context.topologyName} ${context.environment} endpoints`,
        description: 'Send prediction requests to a Vertex AI endpoint, nothing else (ml-serving-stacks load generator)',
        permissions: [PREDICT_PERMISSION],
        stage: 'GA',
      },
      { parent: this },
    );
    for (const [endpointName, endpoint] of Object.entries(args.endpoints)) {
      new gcp.vertex.AiEndpointIamMember(`${name}-predict-${endpointName}`, { project, location: region, endpoint, role: this.predictRole.name, member }, { parent: this });
    }

    this.bucket = new gcp.storage.Bucket(
      `${name}-results`,
      {
        project,
        location: region,
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        encryption: { defaultKmsKeyName: args.key.kmsKeyName },
        versioning: { enabled: true },
        forceDestroy: !context.retainData,
        labels: { ...context.labels, component: 'loadgen' },
      },
      { parent: this, dependsOn: [...args.key.grants], ...statefulOptions('results-bucket', context.retainData) },
    );
    for (const [id, role] of Object.entries(RESULT_BUCKET_ROLES)) {
      new gcp.storage.BucketIAMMember(`${name}-results-${id}`, { bucket: this.bucket.name, role, member }, { parent: this });
    }

    const image = args.image ?? PLACEHOLDER_LOADGEN_IMAGE;
    this.job = new gcp.cloudrunv2.Job(
      `${name}-job`,
      {
        project,
        location: region,
        name: fitName(base, GCP_NAMING.alloydbId),
        deletionProtection: context.deletionProtection,
        labels: { ...context.labels, component: 'loadgen', ...(this.placeholderImage ? { image: 'placeholder' } : {}) },
        template: {
          taskCount: args.taskCount ?? 1,
          parallelism: args.parallelism ?? 0,
          template: {
            serviceAccount: this.serviceAccount.email,
            timeout: `${args.taskTimeoutSeconds ?? 3600}s`,
            // A retried shard would start its schedule again, off the run's shared start time: a
            // failed task is reported, never silently replaced.
            maxRetries: 0,
            executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
            containers: [{ image, resources: { limits: { cpu: args.cpu ?? '1', memory: args.memory ?? '2Gi' } } }],
            vpcAccess: {
              networkInterfaces: [{ network: args.network.network, subnetwork: args.network.subnetwork }],
              // Private ranges (the endpoints' PSC addresses) through the VPC; Google APIs as usual.
              egress: 'PRIVATE_RANGES_ONLY',
            },
          },
        },
      },
      { parent: this },
    );

    this.registerOutputs({ job: this.job.name, bucket: this.bucket.name, serviceAccount: this.serviceAccount.email, placeholderImage: this.placeholderImage });
  }
}
