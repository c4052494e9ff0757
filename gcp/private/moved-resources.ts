/**
 * Keeping URNs when resources move. A URN holds the type of every ancestor, so a resource that
 * gets a new parent is a new resource to Pulumi: without an alias to its former URN, `pulumi up`
 * replaces it (for an index or a database, data loss; in production, `protect` stops the update).
 */
import * as pulumi from '@pulumi/pulumi';

/**
 * A transformation for a component inserted under `formerParent`, between it and resources it
 * used to parent directly: each direct child of the inserted component gets an alias to the URN
 * it had as a child of `formerParent` (same name, same type). Pass it in the inserted
 * component's options; it sees the component first, then each of its descendants.
 */
export function keepUrnsUnder(formerParent: pulumi.Resource): pulumi.ResourceTransformation {
  let inserted: pulumi.Resource | undefined;
  return ({ resource, props, opts }) => {
    if (opts.parent === formerParent) {
      inserted = resource;
      return undefined;
    }
    if (inserted === undefined || opts.parent !== inserted) return undefined;
    return { props, opts: pulumi.mergeOptions(opts, { aliases: [{ parent: formerParent }] }) };
  };
}
