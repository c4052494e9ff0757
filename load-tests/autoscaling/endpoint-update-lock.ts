/**
 * The SageMaker endpoint update lock. A capacity change (UpdateEndpointWeightsAndCapacities) puts the
 * whole endpoint in `Updating` until the new instances are InService, and an endpoint in `Updating`
 * takes no other update: while one variant's instances start, no variant of that endpoint scales
 * (assumption `sagemaker.endpoint-update-lock`).
 *
 * Each variant has its own policy, so the variants of one endpoint share one lock. It records the
 * intervals in which the endpoint was updating, so a variant simulated after another within the same
 * stretch of time still sees the other's update at the right moment.
 */
export class EndpointUpdateLock {
  private readonly updates: { readonly from: number; readonly until: number }[] = [];

  /** Records that the endpoint is `Updating` over `[from, until)`. */
  hold(from: number, until: number): void {
    if (until > from) this.updates.push({ from, until });
  }

  /** Whether the endpoint is `Updating` at `at`. */
  isUpdating(at: number): boolean {
    return this.updates.some((u) => u.from <= at && at < u.until);
  }
}
