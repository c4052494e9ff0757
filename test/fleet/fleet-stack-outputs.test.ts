/** Reading a fleet from its stack outputs, and a task's place in it, as the CLI does. */
import { describe, expect, it } from 'vitest';
import { cloudRunFleetFromOutputs, ecsFleetFromOutputs } from '../../load-tests/fleet';
import { fleetTaskIndex } from '../../bin/commands/loadtest-fleet';

const AWS_OUTPUTS = {
  'news-dev-serving': { RankerEndpointName: 'news-dev-ranker' },
  'news-dev-loadgen': {
    LoadGeneratorCluster: 'news-dev-loadgen',
    LoadGeneratorTaskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/news-dev-loadgen:3',
    LoadGeneratorContainer: 'loadgen',
    LoadGeneratorSubnets: 'subnet-0a,subnet-0b',
    LoadGeneratorSecurityGroup: 'sg-01',
    LoadGeneratorResultsBucket: 'b-loadgen',
  },
};

describe('fleet stack outputs', () => {
  it('reads the ECS fleet from cdk outputs: region from the task definition ARN, subnets split', () => {
    expect(ecsFleetFromOutputs(AWS_OUTPUTS, 'out.json')).toEqual({
      stack: 'news-dev-loadgen',
      region: 'eu-west-1',
      cluster: 'news-dev-loadgen',
      taskDefinition: AWS_OUTPUTS['news-dev-loadgen'].LoadGeneratorTaskDefinition,
      container: 'loadgen',
      subnets: ['subnet-0a', 'subnet-0b'],
      securityGroups: ['sg-01'],
      bucket: 'b-loadgen',
    });
  });

  it('fails when an output is malformed, naming it', () => {
    const broken = { x: { ...AWS_OUTPUTS['news-dev-loadgen'], LoadGeneratorTaskDefinition: 'news-dev-loadgen:3' } };
    expect(() => ecsFleetFromOutputs(broken, 'out.json')).toThrow('out.json: x: LoadGeneratorTaskDefinition: a task definition ARN');
  });

  it('reads the Cloud Run job from pulumi stack output --json', () => {
    const outputs = { project: 'p1', region: 'us-central1', loadGenerator: { job: 'news-dev-loadgen', region: 'us-central1', bucket: 'news-loadgen-results-1a2b', serviceAccount: 'x', placeholderImage: false } };
    expect(cloudRunFleetFromOutputs(outputs, 'stack.json')).toEqual({ job: 'projects/p1/locations/us-central1/jobs/news-dev-loadgen', bucket: 'news-loadgen-results-1a2b' });
  });

  it('fails when the stack has no load generator, saying how to add it', () => {
    expect(() => cloudRunFleetFromOutputs({ project: 'p1' }, 'stack.json')).toThrow(/stack.json: not the outputs of a stack with the load generator .*loadGenerator: missing: set ml-serving-stacks:loadgen true/);
  });
});

describe('fleetTaskIndex', () => {
  it('takes i/N as given, and cloud-run/N from the Cloud Run task environment', () => {
    expect(fleetTaskIndex('2/5', {})).toEqual({ index: 2, count: 5 });
    expect(fleetTaskIndex('cloud-run/5', { CLOUD_RUN_TASK_INDEX: '4', CLOUD_RUN_TASK_COUNT: '5' })).toEqual({ index: 4, count: 5 });
  });

  it('fails when the Cloud Run environment is missing or disagrees', () => {
    expect(() => fleetTaskIndex('cloud-run/5', {})).toThrow('--fleet-task cloud-run/5: needs CLOUD_RUN_TASK_INDEX in 0..4 and CLOUD_RUN_TASK_COUNT 5 (a Cloud Run job task), got none and none');
    expect(() => fleetTaskIndex('cloud-run/5', { CLOUD_RUN_TASK_INDEX: '1', CLOUD_RUN_TASK_COUNT: '4' })).toThrow(/got 1 and 4/);
    expect(() => fleetTaskIndex('5/5', {})).toThrow('--fleet-task: must be i/N with 0 <= i < N, got "5/5"');
  });
});
