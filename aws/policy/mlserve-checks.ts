/**
 * `MLServeChecks`: the cdk-nag v3 pack for what AwsSolutions and NIST 800-53 R5 do not check in an
 * ML serving stack (custom packs: https://github.com/cdklabs/cdk-nag). Register it like the built-in
 * packs: `Validations.of(app).addPlugins(new MLServeChecks(app))`; test with `validateScope`.
 */
import type { CfnResource } from 'aws-cdk-lib';
import { NagPack, type NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { MLSERVE_RULES } from './aws-policies';

export class MLServeChecks extends NagPack {
  readonly name = 'MLServe';
  override readonly ruleIds = MLSERVE_RULES.map((r) => `MLServe-${r.id}`);

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'MLServe';
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of MLSERVE_RULES) {
      this.applyRule({ ruleSuffixOverride: rule.id, info: rule.info, explanation: rule.explanation, level: rule.level, node, rule: rule.check });
    }
  }
}
