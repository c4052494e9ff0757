// @ts-check
/**
 * The Lambda behind `ScalingRelease` (a CloudFormation custom resource), shipped verbatim as inline
 * code on the Node.js runtime, whose AWS SDK provides the Application Auto Scaling client.
 *
 * SageMaker rejects an endpoint update that changes the instance type of a variant registered with
 * Application Auto Scaling, or removes such a variant, until the variant is deregistered (SageMaker
 * Developer Guide, "Update endpoints that use auto scaling"). The endpoint depends on this resource,
 * so CloudFormation updates it first: on Update it compares the variants before and after and
 * deregisters exactly those whose instance type changes or that go away. Deregistering also deletes
 * their scaling policies (Application Auto Scaling API reference, DeregisterScalableTarget); the stack
 * registers them again after the endpoint update, under new logical ids.
 *
 * It answers CloudFormation on the request's pre-signed ResponseURL (CloudFormation User Guide,
 * "Custom resource response objects"), with an empty Content-Type as the URL is signed without one.
 */
const { request: httpsRequest } = require('node:https');
const { request: httpRequest } = require('node:http');

const SCALABLE_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

/**
 * @typedef {{ VariantName: string, InstanceType: string }} ReleasedVariant
 * @typedef {{ EndpointName: string, Variants: ReleasedVariant[] }} ReleaseProperties
 * @typedef {{
 *   RequestType: 'Create' | 'Update' | 'Delete',
 *   ResponseURL: string,
 *   StackId: string,
 *   RequestId: string,
 *   LogicalResourceId: string,
 *   PhysicalResourceId?: string,
 *   ResourceProperties: ReleaseProperties,
 *   OldResourceProperties?: ReleaseProperties,
 * }} ReleaseEvent
 */

/**
 * Variants of the same endpoint whose instance type changes or that are removed. A renamed endpoint is
 * a new endpoint: its predecessor keeps its scaling until CloudFormation deletes it.
 * @param {ReleaseProperties} before
 * @param {ReleaseProperties} after
 * @returns {string[]}
 */
function variantsToRelease(before, after) {
  if (before.EndpointName !== after.EndpointName) return [];
  const instanceTypes = new Map(after.Variants.map((v) => [v.VariantName, v.InstanceType]));
  return before.Variants.filter((v) => instanceTypes.get(v.VariantName) !== v.InstanceType).map((v) => v.VariantName);
}

/**
 * @param {string} endpointName
 * @param {string} variantName
 */
async function deregister(endpointName, variantName) {
  const { ApplicationAutoScalingClient, DeregisterScalableTargetCommand } = require('@aws-sdk/client-application-auto-scaling');
  const client = new ApplicationAutoScalingClient({});
  try {
    await client.send(
      new DeregisterScalableTargetCommand({
        ServiceNamespace: 'sagemaker',
        ScalableDimension: SCALABLE_DIMENSION,
        ResourceId: `endpoint/${endpointName}/variant/${variantName}`,
      }),
    );
    return true;
  } catch (e) {
    // Not registered (never was, or already released by an earlier attempt): nothing to release.
    if (e instanceof Error && e.name === 'ObjectNotFoundException') return false;
    throw e;
  } finally {
    client.destroy();
  }
}

/**
 * @param {ReleaseEvent} event
 * @param {{ Status: 'SUCCESS' | 'FAILED', Reason?: string, PhysicalResourceId: string, Data?: Record<string, string> }} outcome
 * @returns {Promise<void>}
 */
function respond(event, outcome) {
  const body = JSON.stringify({ ...outcome, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
  const url = new URL(event.ResponseURL);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`CloudFormation response rejected: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** @param {ReleaseEvent} event */
exports.handler = async (event) => {
  const properties = event.ResourceProperties;
  const physicalResourceId = event.PhysicalResourceId ?? `scaling-release:${properties.EndpointName}`;
  try {
    const release = event.RequestType === 'Update' && event.OldResourceProperties ? variantsToRelease(event.OldResourceProperties, properties) : [];
    const released = [];
    for (const variant of release) {
      if (await deregister(properties.EndpointName, variant)) released.push(variant);
    }
    console.log(JSON.stringify({ endpoint: properties.EndpointName, requestType: event.RequestType, released }));
    await respond(event, { Status: 'SUCCESS', PhysicalResourceId: physicalResourceId, Data: { Released: released.join(',') } });
  } catch (e) {
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    console.error(JSON.stringify({ endpoint: properties.EndpointName, requestType: event.RequestType, error: reason }));
    await respond(event, { Status: 'FAILED', Reason: reason.slice(0, 1000), PhysicalResourceId: physicalResourceId });
  }
};
