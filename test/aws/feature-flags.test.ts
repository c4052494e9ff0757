/**
 * The feature flags in cdk.json: every flag aws-cdk-lib recommends for a new app (or set to false
 * with a reason), read by `cdk synth` and the offline plan alike. That the upgrade from stacks
 * synthesized before them updates in place only is checked on every base topology by
 * released-templates.test.ts.
 */
import * as cxapi from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json';
import { FLAGS_NOT_TAKEN, SERVING_APP_CONTEXT } from '../../aws';

describe('feature flags', () => {
  it('cdk.json sets every flag aws-cdk-lib recommends, at its recommended value or to false with a reason', () => {
    const context = cdkJson.context as Record<string, unknown>;
    for (const [flag, value] of Object.entries(cxapi.CURRENTLY_RECOMMENDED_FLAGS)) expect(context[flag], flag).toEqual(flag in FLAGS_NOT_TAKEN ? false : value);
    for (const flag of Object.keys(FLAGS_NOT_TAKEN)) expect(cxapi.CURRENTLY_RECOMMENDED_FLAGS, flag).toHaveProperty([flag]);
  });

  it('the CDK app and the offline plan read the same flags', () => {
    expect(SERVING_APP_CONTEXT).toEqual(Object.fromEntries(Object.entries(cdkJson.context).filter(([flag]) => flag.startsWith('@aws-cdk'))));
  });
});
