/**
 * `VectorStore`: the topology's vector store on the engine it names, chosen here and nowhere
 * else: Vertex AI Vector Search for `managed` (`VectorSearchStore`), AlloyDB with pgvector for
 * `pgvector` (`AlloyDbVectorStore`). Each engine also works on its own.
 */
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedVectorStore } from '../../constructs';
import { keepUrnsUnder } from '../private/moved-resources';
import type { ComponentKey, ServingContext } from '../serving-context';
import type { PrivateNetwork } from '../serving-network';
import { AlloyDbVectorStore } from './alloydb-vector-store';
import type { VectorEngine } from './vector-engine';
import { VectorSearchStore } from './vector-search-store';

export interface VectorStoreArgs {
  readonly store: ResolvedVectorStore;
  readonly context: ServingContext;
  readonly network: PrivateNetwork;
  readonly key: ComponentKey;
  /** AlloyDB PSC allow-lists consumer projects by number (pgvector only). */
  readonly projectNumber: pulumi.Input<string>;
}

export class VectorStore extends pulumi.ComponentResource implements VectorEngine {
  readonly engine: VectorSearchStore | AlloyDbVectorStore;
  /** The deployed index's consumer endpoint, or the AlloyDB primary's PSC auto-connection. */
  readonly address: pulumi.Output<string>;
  /** The forwarding rule's PSC connection status, or AlloyDB's auto-connection status. */
  readonly connectionStatus: pulumi.Output<string>;

  constructor(name: string, args: VectorStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:VectorStore', name, {}, opts);
    // The engines' resources were this component's own children before the engines were split
    // out: they keep those URNs. The engine takes this component's name, so theirs are unchanged.
    const engineOptions = { parent: this, transformations: [keepUrnsUnder(this)] };
    this.engine =
      args.store.engine === 'managed'
        ? new VectorSearchStore(name, { store: args.store, context: args.context, network: args.network, key: args.key }, engineOptions)
        : new AlloyDbVectorStore(name, args, engineOptions);
    this.address = this.engine.address;
    this.connectionStatus = this.engine.connectionStatus;
    this.registerOutputs({ engine: args.store.engine, address: this.address, connectionStatus: this.connectionStatus });
  }

  /** The Vector Search engine, for the managed store. */
  get vectorSearch(): VectorSearchStore | undefined {
    return this.engine instanceof VectorSearchStore ? this.engine : undefined;
  }

  /** The AlloyDB engine, for the pgvector store. */
  get database(): AlloyDbVectorStore | undefined {
    return this.engine instanceof AlloyDbVectorStore ? this.engine : undefined;
  }
}
