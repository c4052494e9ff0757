/**
 * Departures from the guarantees every topology has on both clouds: customer-managed keys on all
 * data (where the service allows one) and private networking everywhere. Each carries the setting
 * it departs from, so only a parity note at that path can account for it.
 */
import type { Cloud, ServingFacts } from './serving-facts';

export interface SecurityDeparture {
  /** `encryption` (always on, parity matrix) or the spec's `network.private`. */
  readonly path: 'encryption' | 'network.private';
  readonly cloud: Cloud;
  readonly resource: string;
  readonly detail: string;
}

export function securityDepartures(facts: ServingFacts): SecurityDeparture[] {
  return [
    ...facts.dataAtRest
      .filter((r) => !r.customerManaged && !r.exemption)
      .map((r) => ({ path: 'encryption' as const, cloud: facts.cloud, resource: r.resource, detail: r.detail })),
    ...facts.reachability
      .filter((r) => !r.private)
      .map((r) => ({ path: 'network.private' as const, cloud: facts.cloud, resource: r.resource, detail: r.detail })),
  ];
}
