/**
 * An endpoint another stack deployed, imported by name (`ModelEndpoint.fromEndpointName`): grants
 * and metrics work on it as on an owned one, as they do on an imported SQS queue.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { ModelEndpoint, type IModelEndpoint } from '../../aws';
import { ENDPOINT_VARIANT_METRICS } from './support';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function consumer() {
  const stack = new Stack(new App(), 'Consumer', { env: ENV });
  const client = new iam.Role(stack, 'Client', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, client };
}

describe('ModelEndpoint.fromEndpointName', () => {
  it('names the endpoint and builds its ARN in the importing stack\'s account and region', () => {
    const { stack } = consumer();
    const endpoint = ModelEndpoint.fromEndpointName(stack, 'Ranker', 'news-prod-ranker');
    expect(endpoint.endpointName).toBe('news-prod-ranker');
    expect(stack.resolve(endpoint.endpointArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:123456789012:endpoint/news-prod-ranker']],
    });
    expect(endpoint.endpointRef.endpointArn).toBe(endpoint.endpointArn);
  });

  it('grantInvoke allows InvokeEndpoint on that endpoint only', () => {
    const { stack, client } = consumer();
    ModelEndpoint.fromEndpointName(stack, 'Ranker', 'news-prod-ranker').grantInvoke(client);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Client') }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sagemaker:InvokeEndpoint',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:123456789012:endpoint/news-prod-ranker']] },
          },
        ],
      },
    });
  });

  it('fits where aws-cdk-lib takes a sagemaker.IEndpoint', () => {
    const { stack } = consumer();
    const endpoint: sagemaker.IEndpoint = ModelEndpoint.fromEndpointName(stack, 'Ranker', 'news-prod-ranker');
    expect(endpoint.stack).toBe(stack);
  });

  it.each(ENDPOINT_VARIANT_METRICS)('%s measures %s %s (%s) of the variant named, caller options last', (method, namespace, metricName, statistic) => {
    const { stack } = consumer();
    const endpoint = ModelEndpoint.fromEndpointName(stack, 'Embedder', 'news-prod-embedder');
    const metric = endpoint[method]({ variantName: 'candidate', period: Duration.minutes(5) });
    expect(metric).toMatchObject({ namespace, metricName, statistic, dimensions: { EndpointName: 'news-prod-embedder', VariantName: 'candidate' } });
    expect(metric.period.toSeconds()).toBe(300);
  });

  it('measures the async backlog endpoint-wide, with no variant', () => {
    const { stack } = consumer();
    const metric = ModelEndpoint.fromEndpointName(stack, 'Scorer', 'batch-scorer').metricApproximateBacklogSizePerInstance();
    expect(metric).toMatchObject({ metricName: 'ApproximateBacklogSizePerInstance', dimensions: { EndpointName: 'batch-scorer' } });
  });

  it('fails when a variant metric names no variant, since an endpoint imported by name knows none', () => {
    const { stack } = consumer();
    const endpoint = ModelEndpoint.fromEndpointName(stack, 'Ranker', 'news-prod-ranker');
    expect(() => endpoint.metricModelLatency()).toThrow(
      'Consumer/Ranker: ModelLatency is published per variant, and this imported endpoint (news-prod-ranker) names none: pass variantName, or import it with ModelEndpoint.fromEndpointAttributes({ endpointName, variantName })',
    );
  });

  it('takes a default variant from fromEndpointAttributes', () => {
    const { stack } = consumer();
    const endpoint = ModelEndpoint.fromEndpointAttributes(stack, 'Ranker', { endpointName: 'news-prod-ranker', variantName: 'current' });
    expect(endpoint.metricInvocations()).toMatchObject({ dimensions: { EndpointName: 'news-prod-ranker', VariantName: 'current' } });
  });

  it('alarms on an imported endpoint\'s metric in another stack', () => {
    const { stack } = consumer();
    const endpoint: IModelEndpoint = ModelEndpoint.fromEndpointName(stack, 'Ranker', 'news-prod-ranker');
    endpoint.metricModelLatency({ variantName: 'current' }).createAlarm(stack, 'Slow', { threshold: 250_000, evaluationPeriods: 3 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker',
      MetricName: 'ModelLatency',
      ExtendedStatistic: 'p99',
      Dimensions: Match.arrayWith([{ Name: 'EndpointName', Value: 'news-prod-ranker' }, { Name: 'VariantName', Value: 'current' }]),
    });
  });
});
