export * from './check-update';
export type { CfnResource, CfnTemplate } from './cfn-template';
export { UPDATE_RULES, type Rejection, type UpdateRule } from './rules';
