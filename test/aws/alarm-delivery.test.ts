/**
 * Alarm notifications reach the topic: for every alarm of the serving stack, the topic's resource
 * policy lets CloudWatch publish on that alarm's behalf, and the topic's key lets CloudWatch encrypt
 * the message. A topic policy replaces SNS's default one, so without an explicit allow every ALARM
 * and OK action fails. Alarms of another account get neither.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeServingTemplates } from '../../aws';
import { evaluate, resolveIntrinsics, type Request } from './policy-evaluation';
import { resolvedTopology, type EnvironmentName } from './support';

type Resource = { Type: string; Properties: Record<string, unknown> };
type PolicyDocument = Parameters<typeof evaluate>[0];

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const ENVIRONMENTS: EnvironmentName[] = ['dev', 'prod', 'gcp-gaps.yaml'];
const templates = {} as Record<EnvironmentName, { region: string; resources: Record<string, Resource> }>;

beforeAll(() => {
  for (const env of ENVIRONMENTS) {
    const topology = resolvedTopology(env);
    const [template] = Object.values(synthesizeServingTemplates(topology)) as { Resources: Record<string, Resource> }[];
    const region = topology.regions.aws;
    // Resources stand in by their logical ids: a topic's ARN, an alarm's name and a key's ARN.
    const resources = resolveIntrinsics(template.Resources, {
      account: ACCOUNT,
      region,
      ref: (id) => (template.Resources[id]?.Type === 'AWS::SNS::Topic' ? topicArn(region, id) : id),
      getAtt: (id, attribute) => `${id}.${attribute}`,
    });
    templates[env] = { region, resources };
  }
});

const topicArn = (region: string, id: string) => `arn:aws:sns:${region}:${ACCOUNT}:${id}`;
const alarmArn = (region: string, account: string, name: string) => `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;

/** Every alarm with each topic it notifies. */
function alarmActions(env: EnvironmentName): { alarm: string; topic: string }[] {
  return Object.entries(templates[env].resources)
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .flatMap(([alarm, r]) => [...new Set([...((r.Properties.AlarmActions as string[]) ?? []), ...((r.Properties.OKActions as string[]) ?? [])])].map((topic) => ({ alarm, topic })));
}

function topicPolicy(env: EnvironmentName, arn: string): PolicyDocument {
  const policies = Object.values(templates[env].resources).filter((r) => r.Type === 'AWS::SNS::TopicPolicy' && (r.Properties.Topics as string[]).includes(arn));
  expect(policies, `one topic policy for ${arn}`).toHaveLength(1);
  return policies[0].Properties.PolicyDocument as PolicyDocument;
}

function topicKeyPolicy(env: EnvironmentName, arn: string): PolicyDocument {
  const [topicId] = Object.entries(templates[env].resources).find(([id, r]) => r.Type === 'AWS::SNS::Topic' && topicArn(templates[env].region, id) === arn)!;
  const keyArn = templates[env].resources[topicId].Properties.KmsMasterKeyId as string;
  const keyId = keyArn.replace(/\.Arn$/, '');
  return templates[env].resources[keyId].Properties.KeyPolicy as PolicyDocument;
}

function cloudWatchRequest(action: string, resource: string, region: string, account: string, alarm: string): Request {
  return {
    principal: { service: 'cloudwatch.amazonaws.com' },
    action,
    resource,
    context: { 'aws:SourceAccount': account, 'aws:SourceArn': alarmArn(region, account, alarm), 'aws:SecureTransport': 'true' },
  };
}

describe('alarm notifications', () => {
  it.each(ENVIRONMENTS)('%s: every alarm notifies a topic, dead-letter alarms included', (env) => {
    const alarms = alarmActions(env).map((a) => a.alarm);
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.some((a) => a.includes('DeadLetterAlarm'))).toBe(true);
  });

  it.each(ENVIRONMENTS)('%s: the topic policy lets CloudWatch publish for each alarm of this account, and for no other account', (env) => {
    const { region } = templates[env];
    for (const { alarm, topic } of alarmActions(env)) {
      const policy = topicPolicy(env, topic);
      expect(evaluate(policy, cloudWatchRequest('sns:Publish', topic, region, ACCOUNT, alarm)), `${alarm} → ${topic}`).toBe('allow');
      expect(evaluate(policy, cloudWatchRequest('sns:Publish', topic, region, OTHER_ACCOUNT, alarm))).not.toBe('allow');
      // The TLS-only statement still stands.
      expect(evaluate(policy, { ...cloudWatchRequest('sns:Publish', topic, region, ACCOUNT, alarm), context: { 'aws:SecureTransport': 'false' } })).toBe('explicit-deny');
    }
  });

  it.each(ENVIRONMENTS)('%s: the topic key lets CloudWatch encrypt the notification of each alarm of this account, and of no other account', (env) => {
    const { region } = templates[env];
    for (const { alarm, topic } of alarmActions(env)) {
      const keyPolicy = topicKeyPolicy(env, topic);
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        expect(evaluate(keyPolicy, cloudWatchRequest(action, '*', region, ACCOUNT, alarm)), `${alarm} ${action}`).toBe('allow');
        expect(evaluate(keyPolicy, cloudWatchRequest(action, '*', region, OTHER_ACCOUNT, alarm))).not.toBe('allow');
      }
    }
  });
});
