/** What the VectorStore entry needs of an engine: where clients connect, and whether that connection is up. */
import type * as pulumi from '@pulumi/pulumi';

export interface VectorEngine {
  /** The private IP clients connect to, in our network. */
  readonly address: pulumi.Output<string>;
  /** Whether the Private Service Connect connection behind that address is up. */
  readonly connectionStatus: pulumi.Output<string>;
}
