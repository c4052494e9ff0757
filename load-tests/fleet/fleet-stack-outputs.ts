/**
 * Where `loadtest --fleet aws|gcp` finds its fleet: the LoadGeneratorFleet stack's outputs, as
 * `cdk deploy --outputs-file <file>` writes them (`{ "<stack>": { "<output>": "<value>" } }`), or
 * the Pulumi stack's, as `pulumi stack output --json` prints them (`{ project, loadGenerator: {…} }`).
 */
import { z } from 'zod';
import type { EcsFleetTarget } from './ecs-task-launcher';

const FleetOutputs = z.object({
  LoadGeneratorCluster: z.string().min(1),
  LoadGeneratorTaskDefinition: z.string().regex(/^arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/.+$/, 'a task definition ARN'),
  LoadGeneratorContainer: z.string().min(1),
  LoadGeneratorSubnets: z.string().min(1),
  LoadGeneratorSecurityGroup: z.string().min(1),
  LoadGeneratorResultsBucket: z.string().min(3),
});

export interface EcsFleet extends EcsFleetTarget {
  readonly region: string;
  readonly bucket: string;
  /** The stack the outputs came from. */
  readonly stack: string;
}

/** The fleet in `outputs` (a cdk outputs file): the one stack with LoadGeneratorCluster; errors name the file's problem. */
export function ecsFleetFromOutputs(outputs: unknown, file: string): EcsFleet {
  const stacks = typeof outputs === 'object' && outputs !== null ? Object.entries(outputs as Record<string, unknown>) : [];
  const fleets = stacks.filter(([, o]) => typeof o === 'object' && o !== null && 'LoadGeneratorCluster' in o);
  if (fleets.length !== 1) {
    throw new Error(
      `${file}: expected the outputs of one load generator stack (with LoadGeneratorCluster), found ${fleets.length}` +
        ` among ${stacks.map(([s]) => s).join(', ') || 'no stacks'}: deploy it with cdk deploy -c loadgen=true -c loadgenImage=… --outputs-file ${file}`,
    );
  }
  const [stack, raw] = fleets[0];
  const parsed = FleetOutputs.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${stack}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const o = parsed.data;
  return {
    stack,
    region: o.LoadGeneratorTaskDefinition.split(':')[3],
    cluster: o.LoadGeneratorCluster,
    taskDefinition: o.LoadGeneratorTaskDefinition,
    container: o.LoadGeneratorContainer,
    subnets: o.LoadGeneratorSubnets.split(','),
    securityGroups: [o.LoadGeneratorSecurityGroup],
    bucket: o.LoadGeneratorResultsBucket,
  };
}

const GcpOutputs = z.object({
  project: z.string().min(1),
  loadGenerator: z.object({ job: z.string().min(1), region: z.string().min(1), bucket: z.string().min(3) }, { error: 'missing: set ml-serving-stacks:loadgen true and pulumi up' }),
});

export interface CloudRunFleet {
  /** `projects/{project}/locations/{region}/jobs/{job}` */
  readonly job: string;
  readonly bucket: string;
}

/** The job in `outputs` (`pulumi stack output --json`); errors name the file's problem. */
export function cloudRunFleetFromOutputs(outputs: unknown, file: string): CloudRunFleet {
  const parsed = GcpOutputs.safeParse(outputs);
  if (!parsed.success) {
    throw new Error(`${file}: not the outputs of a stack with the load generator (pulumi stack output --json > ${file}): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { project, loadGenerator } = parsed.data;
  return { job: `projects/${project}/locations/${loadGenerator.region}/jobs/${loadGenerator.job}`, bucket: loadGenerator.bucket };
}
