/**
 * The load generator job on GCP: what `plan --loadgen` (stack config ml-serving-stacks:loadgen)
 * adds, that the policy pack passes with it, that nothing changes without it, and that a real
 * update refuses the placeholder image while a preview shows it.
 */
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { LoadGeneratorJob, loadGeneratorJobProblems, PLACEHOLDER_LOADGEN_IMAGE, servingContext } from '../../gcp';
import { planGcp, type PlannedResource } from '../../gcp/plan';
import { GCP_POLICIES } from '../../gcp/policy/gcp-policies';
import { offlineMocks } from '../../gcp/private/offline-mocks';
import { fromPlan, runPolicies } from './support/run-policy-pack';

const dev = resolveTopology(preset('dev'));
const prod = resolveTopology(preset('prod'));
const IMAGE = 'us-central1-docker.pkg.dev/p/tools/loadgen:1';
let plain: PlannedResource[];
let withPlaceholder: PlannedResource[];
let withImage: PlannedResource[];

beforeAll(async () => {
  plain = await planGcp(dev);
  withPlaceholder = await planGcp(dev, { loadGenerator: {} });
  withImage = await planGcp(prod, { loadGenerator: { image: IMAGE } });
}, 120_000);

const ofType = (plan: readonly PlannedResource[], type: string) => plan.filter((r) => r.type === type);
/** The load generator's own resources: the topology's pipeline has a custom role and a bucket too. */
const isLoadgen = (r: PlannedResource) => r.name.includes('loadgen');
const one = (plan: readonly PlannedResource[], type: string, only: (r: PlannedResource) => boolean = () => true) => {
  const found = ofType(plan, type).filter(only);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('plan --loadgen', () => {
  it('adds nothing without the load generator', () => {
    expect(ofType(plain, 'gcp:cloudrunv2/job:Job')).toEqual([]);
    expect(ofType(plain, 'gcp:storage/bucket:Bucket').filter(isLoadgen)).toEqual([]);
    // Everything else is as without it (the pipeline already enables Cloud Run and Cloud Storage); its own resources and the Cloud Storage agent's key grant carry its name.
    expect(withPlaceholder.filter((r) => !isLoadgen(r)).map((r) => r.name).sort()).toEqual(plain.map((r) => r.name).sort());
  });

  it('runs the placeholder image, labelled as such, when no image is configured', () => {
    const job = one(withPlaceholder, 'gcp:cloudrunv2/job:Job');
    expect(job.inputs).toMatchObject({
      name: 'news-dev-loadgen',
      labels: { image: 'placeholder', component: 'loadgen' },
      template: { template: { containers: [{ image: PLACEHOLDER_LOADGEN_IMAGE }] } },
    });
  });

  it('is a Cloud Run v2 job: task count, parallelism, timeout, no retries, its own account, Direct VPC egress into the serving subnetwork', () => {
    const job = one(withImage, 'gcp:cloudrunv2/job:Job');
    const subnetwork = one(withImage, 'gcp:compute/subnetwork:Subnetwork');
    const network = one(withImage, 'gcp:compute/network:Network');
    expect(job.inputs).toMatchObject({
      location: 'us-central1',
      deletionProtection: true,
      template: {
        taskCount: 1,
        parallelism: 0,
        template: {
          serviceAccount: 'news-prod-loadgen@example-project.iam.gserviceaccount.com',
          timeout: '3600s',
          maxRetries: 0,
          containers: [{ image: IMAGE, resources: { limits: { cpu: '1', memory: '2Gi' } } }],
          vpcAccess: {
            egress: 'PRIVATE_RANGES_ONLY',
            networkInterfaces: [{ network: `projects/example-project/global/networks/${network.name}`, subnetwork: `projects/example-project/regions/us-central1/subnetworks/${subnetwork.name}` }],
          },
        },
      },
    });
    expect((job.inputs.labels as Record<string, string>).image).toBeUndefined();
  });

  it('lets its account predict on exactly this topology\'s endpoints through a role holding predict alone', () => {
    const role = one(withImage, 'gcp:projects/iAMCustomRole:IAMCustomRole', isLoadgen);
    expect(role.inputs.permissions).toEqual(['aiplatform.endpoints.predict']);
    const grants = ofType(withImage, 'gcp:vertex/aiEndpointIamMember:AiEndpointIamMember').filter(isLoadgen);
    const endpointIds = ofType(withImage, 'gcp:vertex/aiEndpoint:AiEndpoint').map((e) => `projects/example-project/locations/us-central1/endpoints/${e.inputs.name}`);
    expect(grants.map((g) => g.inputs.endpoint).sort()).toEqual(endpointIds.sort());
    for (const grant of grants) {
      expect(grant.inputs).toMatchObject({ role: `projects/example-project/roles/${role.inputs.roleId}`, member: 'serviceAccount:news-prod-loadgen@example-project.iam.gserviceaccount.com' });
    }
    // No project-wide role for it.
    expect(ofType(withImage, 'gcp:projects/iAMMember:IAMMember').filter((m) => String(m.inputs.member).includes('loadgen'))).toEqual([]);
  });

  it('writes results to its own CMEK bucket (key granted to the Cloud Storage agent), protected in prod, with object create and read only', () => {
    const bucket = one(withImage, 'gcp:storage/bucket:Bucket', isLoadgen);
    expect(bucket.inputs).toMatchObject({
      encryption: { defaultKmsKeyName: 'projects/example-project/locations/us-central1/keyRings/news-keys-ring/cryptoKeys/loadgen' },
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: false,
    });
    expect(bucket.protect).toBe(true);
    expect(bucket.dependsOn).toContain('news-keys-loadgen-storage');
    const keyGrant = withImage.find((r) => r.name === 'news-keys-loadgen-storage');
    expect(keyGrant?.inputs.member).toBe('serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com');
    expect(ofType(withImage, 'gcp:storage/bucketIAMMember:BucketIAMMember').filter(isLoadgen).map((m) => m.inputs.role).sort()).toEqual(['roles/storage.objectCreator', 'roles/storage.objectViewer']);
  });

  it('passes the GCP policy pack (dev and prod)', async () => {
    expect(await runPolicies(GCP_POLICIES, fromPlan(withPlaceholder))).toEqual([]);
    expect(await runPolicies(GCP_POLICIES, fromPlan(withImage))).toEqual([]);
  });
});

describe('LoadGeneratorJob arguments', () => {
  it.each([
    [{ taskCount: 0 }, 'taskCount: must be an integer from 1 to 10000, got 0'],
    [{ parallelism: -1 }, 'parallelism: must be an integer >= 0 (0: as many as possible), got -1'],
    [{ taskTimeoutSeconds: 168 * 3600 + 1 }, 'taskTimeoutSeconds: must be an integer from 1 to 604800 (168 hours), got 604801'],
  ])('fails when %o', (args, message) => {
    expect(loadGeneratorJobProblems({ endpoints: { ranker: 'e' }, ...args })).toEqual([message]);
  });

  it('fails when there is no endpoint', () => {
    expect(loadGeneratorJobProblems({ endpoints: {} })).toEqual(['endpoints: at least one endpoint to load-test, got none']);
  });
});

describe('a real update (not a preview)', () => {
  it('refuses the placeholder image, saying how to set one', async () => {
    await pulumi.runtime.setMocks(offlineMocks({ project: 'p', projectNumber: '1', region: 'us-central1' }, () => undefined), 'ml-serving-stacks', 'dev', false);
    const args = {
      context: servingContext(dev, { project: 'p', region: 'us-central1' }),
      endpoints: { ranker: 'projects/p/locations/us-central1/endpoints/1' },
      network: { network: 'n', subnetwork: 's', createConnectionPolicies: false },
      key: { kmsKeyName: 'k', grants: [] },
    };
    expect(() => new LoadGeneratorJob('lg', args)).toThrow(/the load generator image is the placeholder .*pulumi config set ml-serving-stacks:loadgenImage/);
    expect(new LoadGeneratorJob('lg2', { ...args, image: IMAGE }).placeholderImage).toBe(false);
  });
});
