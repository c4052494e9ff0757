/**
 * The GCS result store through the official `@google-cloud/storage` client against a local
 * Cloud Storage (JSON API): the same records as the directory store, a missing record reads as not
 * yet there, ready markers are listed across pages, and what the fake refuses the client reports.
 */
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GcsResultStore, parseGcsStoreLocation } from '../../load-tests/fleet/gcs-result-store';
import { fakeResult } from '../load-tests/result-fixture';
import { FakeGcs } from './fakes/fake-gcs';

const BUCKET = 'news-loadgen-results-1a2b3c';
const gcs = new FakeGcs([BUCKET]);
let storage: Storage;

beforeAll(async () => {
  storage = new Storage({ apiEndpoint: await gcs.start(), projectId: 'example-project' });
});
afterAll(() => gcs.close());

describe('GcsResultStore', () => {
  it('keeps ready markers, the start time and results under the run prefix', async () => {
    const store = new GcsResultStore(storage.bucket(BUCKET), `gs://${BUCKET}/runs/r1/`);
    expect(await store.getStartTime()).toBeUndefined();
    expect(await store.getResult(0)).toBeUndefined();
    await store.markReady(0);
    await store.markReady(2);
    expect([...(await store.readyTasks())].sort()).toEqual([0, 2]);
    await store.putStartTime(1_700_000_000_000);
    expect(await store.getStartTime()).toBe(1_700_000_000_000);
    const result = fakeResult({ rate: 10, seconds: 2, latencyMs: (k) => 10 + k });
    await store.putResult(2, result);
    expect(await store.getResult(2)).toEqual(JSON.parse(JSON.stringify(result)));
    expect(gcs.keys(BUCKET)).toEqual(['runs/r1/start.json', 'runs/r1/task-0.ready', 'runs/r1/task-2.json', 'runs/r1/task-2.ready']);
  });

  it('lists ready markers across pages', async () => {
    const store = new GcsResultStore(storage.bucket(BUCKET), `gs://${BUCKET}/runs/many/`);
    const bucket = storage.bucket(BUCKET);
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.markReady(i)));
    const [first, next] = await bucket.getFiles({ prefix: 'runs/many/', maxResults: 2, autoPaginate: false });
    expect(first.map((f) => f.name)).toEqual(['runs/many/task-0.ready', 'runs/many/task-1.ready']);
    expect(next).toMatchObject({ pageToken: 'runs/many/task-1.ready' });
    expect([...(await store.readyTasks())].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('fails when the bucket does not exist, with the service\'s 404', async () => {
    const store = new GcsResultStore(storage.bucket('no-such-bucket'), 'gs://no-such-bucket/runs/x/');
    await expect(store.markReady(0)).rejects.toMatchObject({ code: 404, message: 'The specified bucket does not exist.' });
  });

  it('fails when the location is not a gs:// prefix', () => {
    expect(() => parseGcsStoreLocation('s3://b/p/')).toThrow('--fleet-store: expected gs://<bucket>/<prefix>/, got "s3://b/p/"');
  });
});
