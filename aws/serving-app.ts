/**
 * The CDK app a serving stack is synthesized in, shared by `bin/aws.ts` and the offline plan so both
 * produce the same templates.
 */
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { MLServeChecks } from './policy';

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

/**
 * cdk-nag's AwsSolutions and NIST 800-53 R5 packs and our MLServe pack as policy-validation
 * plugins: any unacknowledged finding fails synthesis.
 */
export function addServingPolicyPlugins(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new MLServeChecks(app));
}
