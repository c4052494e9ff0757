/**
 * A failed create or update whose work is unfinished, in the shape Pulumi's dynamic-provider host
 * turns into a partial failure (@pulumi/pulumi cmd/dynamic-provider `grpcResponseFromError`: an
 * error with `id`, `properties` and `reasons` becomes ErrorResourceInitFailed): the engine keeps
 * `properties` as the resource's state, so the next update or destroy sees the pending work.
 */
import { DeploymentIncompleteError } from './deployment-engine';

export interface PulumiPartialFailure extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
}

/**
 * `e` for Pulumi: a DeploymentIncompleteError becomes a partial failure holding its state and the
 * serialized provider (the host reads `__provider` from the stored state to run the next delete
 * or refresh, and adds it only to successful results); any other error stays as it is.
 */
export function pulumiFailure(e: unknown, id: string, serializedProvider: unknown): Error {
  if (!(e instanceof DeploymentIncompleteError)) return e instanceof Error ? e : new Error(String(e));
  // A JSON round trip drops undefined fields, which the host's protobuf Struct conversion refuses.
  const properties = { ...(JSON.parse(JSON.stringify(e.state)) as Record<string, unknown>), __provider: serializedProvider };
  return Object.assign(new Error(e.message), { id, properties, reasons: [e.message] }) satisfies PulumiPartialFailure;
}
