/**
 * The components outside ServingTopology, as a user's own Pulumi program would use them: a
 * ServingContext, a key, where alerts go and where private endpoints go, nothing else.
 */
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTopology, presetInput, resolveTopology } from '../../constructs';
import { AlloyDbVectorStore, ModelEndpoint, servingContext, ServingMonitoring, type AlertDestination, type PrivateNetwork } from '../../gcp';
import { offlineMocks, type MockedResource } from '../../gcp/private/offline-mocks';

const created: MockedResource[] = [];
const waiting = new Map<string, (r: MockedResource) => void>();

/** Resolves when the named resource is registered (an event, not a delay). */
function registered(name: string): Promise<MockedResource> {
  const found = created.find((r) => r.name === name);
  return found ? Promise.resolve(found) : new Promise((resolve) => waiting.set(name, resolve));
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    offlineMocks({ project: 'my-project', projectNumber: '42', region: 'us-central1' }, (r) => {
      created.push(r);
      waiting.get(r.name)?.(r);
    }),
    'my-program',
    'prod',
  );
});

const input = presetInput('prod');
input.vectorStore = { engine: 'pgvector', dimensions: 768 };
const resolved = resolveTopology(parseTopology(input));
const context = servingContext(resolved, { project: 'my-project', region: 'us-central1' });
const key = { kmsKeyName: 'projects/my-project/locations/us-central1/keyRings/mine/cryptoKeys/serving', grants: [] };
const network: PrivateNetwork = {
  network: 'projects/my-project/global/networks/mine',
  subnetwork: 'projects/my-project/regions/us-central1/subnetworks/mine',
  createConnectionPolicies: false,
};

describe('components on their own', () => {
  it('a ModelEndpoint encrypts with the key and alerts the channels it is given', async () => {
    const alerts: AlertDestination = { notificationChannels: ['projects/my-project/notificationChannels/7'] };
    const ranker = resolved.endpoints.find((e) => e.name === 'ranker')!;
    const endpoint = new ModelEndpoint('ranker', { endpoint: ranker, context, network: network.network, key, alerts });
    const latency = await registered('ranker-latency');
    expect(latency.inputs).toMatchObject({ project: 'my-project', notificationChannels: ['projects/my-project/notificationChannels/7'] });
    expect((await registered('ranker-endpoint')).inputs).toMatchObject({ encryptionSpec: { kmsKeyName: key.kmsKeyName }, labels: { environment: 'prod', endpoint: 'ranker' } });
    expect(endpoint.alertPolicies.errorRate).toBeDefined();
  });

  it('an AlloyDbVectorStore takes the database the topology resolved, and leaves the connection policy to the network owner when told to', async () => {
    const store = new AlloyDbVectorStore('vectors', { store: resolved.vectorStore!, context, network, key, projectNumber: '42' });
    const database = resolved.vectorStore!.database!;
    expect((await registered('vectors-primary')).inputs).toMatchObject({
      instanceId: database.gcp.primaryInstanceId,
      machineConfig: { cpuCount: 4 },
      availabilityType: 'REGIONAL',
    });
    expect((await registered('vectors-cluster')).inputs).toMatchObject({ clusterId: 'news-prod-vectors', deletionProtection: true });
    expect(store.connectionPolicy).toBeUndefined();
    expect(created.some((r) => r.type === 'gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy')).toBe(false);
  });

  it('ServingMonitoring is an alert destination, and makes its dashboard once, from the policies it is given', async () => {
    const monitoring = new ServingMonitoring('watch', {
      context,
      monitoring: resolved.monitoring,
      key,
      notificationAgent: { member: 'serviceAccount:service-42@gcp-sa-monitoring-notification.iam.gserviceaccount.com', after: [] },
    });
    expect(monitoring.notificationChannels).toHaveLength(1 + resolved.monitoring.alarmEmails.length);
    expect(monitoring.formerPolicy('ranker-latency')).toEqual({ name: 'watch-ranker-latency', parent: monitoring });
    const ranker = resolved.endpoints.find((e) => e.name === 'ranker')!;
    const endpoint = new ModelEndpoint('alone', { endpoint: ranker, context, network: network.network, key, alerts: monitoring });
    monitoring.addDashboard([endpoint.alertPolicies.latency]);
    const dashboard = JSON.parse((await registered('watch-dashboard')).inputs.dashboardJson as string) as { gridLayout: { widgets: { alertChart: { name: string } }[] } };
    expect(dashboard.gridLayout.widgets.map((w) => w.alertChart.name)).toEqual(['projects/my-project/alertPolicies/alone-latency']);
    expect(() => monitoring.addDashboard([])).toThrow('watch already has its dashboard');
  });
});
