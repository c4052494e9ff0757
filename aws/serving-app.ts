/**
 * The CDK app a serving stack is synthesized in, shared by `bin/aws.ts` and the offline plan so both
 * produce the same templates.
 */
import { App, type AppProps } from 'aws-cdk-lib';

/** Feature flags the serving stacks are written against. */
export const SERVING_APP_CONTEXT: Readonly<Record<string, unknown>> = {
  // Server access logs are delivered under a bucket policy instead of the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // SNS may decrypt into an encrypted queue only for the subscribed topic (aws:SourceArn).
  '@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption': true,
  // The built-in CloudFormation validator fails synthesis on errors instead of printing warnings.
  '@aws-cdk/core:validateAgainstDefaultRules': true,
};

export function newServingApp(props: AppProps = {}): App {
  return new App({ ...props, context: { ...SERVING_APP_CONTEXT, ...props.context } });
}
