/** The parts every generated resource name starts with. */
export interface TopologyNames {
  readonly topology: string;
  readonly environment: string;
}
