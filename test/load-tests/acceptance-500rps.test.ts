/**
 * Acceptance, opt-in (it measures the machine, and takes 15 s): at 500 requests/s for 10 s
 * against the local endpoints, through the SageMaker SDK, the achieved rate is within 2 % of the
 * target and the run is valid. The endpoints run in their own process, as with
 * `serving-stacks emulate`; the ranker gets 4 replicas (640 req/s nominal) so it can take the load.
 *
 *   LOADTEST_ACCEPTANCE=1 npx vitest run test/load-tests/acceptance-500rps.test.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTextReport } from '../../load-tests/generator/reporters/text-report';
import { runLoadTest } from '../../load-tests/generator/run-load-test';
import { steadySchedule } from '../../load-tests/traffic/traffic-schedule';
import { samplePayloads } from '../../load-tests/models/sample-payloads';

const root = join(__dirname, '..', '..');
const EMULATOR = `
require('tsx/cjs');
const c = require(${JSON.stringify(join(root, 'constructs'))});
const input = c.presetInput('dev');
input.endpoints[0].scaling = { ...input.endpoints[0].scaling, min: 4, max: 8 };
const resolved = c.resolveTopology(c.parseTopology(input, 'acceptance topology'));
require(${JSON.stringify(join(root, 'load-tests', 'emulator'))}).startEmulator(resolved, { port: 0 }).then((e) => process.stdout.write('ready ' + e.url + '\\n'));
`;

describe.runIf(process.env.LOADTEST_ACCEPTANCE === '1')('500 requests/s for 10 s against the local endpoints', () => {
  let child: ChildProcess;
  let url = '';

  beforeAll(async () => {
    child = spawn(process.execPath, ['-e', EMULATOR], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.stdout?.on('data', (chunk: Buffer) => {
        const match = /ready (\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]);
      });
    });
  });
  afterAll(() => void child?.kill());

  it('achieves the rate within 2 % in a valid run, through the SageMaker SDK', async () => {
    const result = await runLoadTest({
      target: { kind: 'sagemaker', endpointName: 'news-dev-ranker', region: 'us-east-1', endpointUrl: url, maxSockets: 1024 },
      schedule: steadySchedule(500, 10),
      profile: 'steady',
      payloads: samplePayloads('ranker'),
    });
    process.stdout.write(formatTextReport(result));
    expect(Math.abs(result.achievedRate - 500) / 500).toBeLessThanOrEqual(0.02);
    expect(result.invalidReasons).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
