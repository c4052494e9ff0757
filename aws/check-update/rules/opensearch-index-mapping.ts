/**
 * CloudFormation updates an OpenSearch Serverless index's `Mappings` and `Settings` in place (resource
 * specification: "Update requires: No interruption"), but OpenSearch does not change an existing
 * field's mapping: a knn_vector field's type, dimension and method (name, space type, engine,
 * parameters such as m and ef_construction) are not updateable (OpenSearch k-NN documentation,
 * "k-NN Index", mapping parameters), and `index.knn` is fixed when the index is created. New fields
 * and dynamic settings (ef_search) do change in place.
 */
import { deepEqual } from '@aws-cdk/cloudformation-diff';
import type { UpdateRule } from './update-rule';

type Fields = Record<string, unknown>;

export const opensearchIndexMapping: UpdateRule = {
  id: 'opensearch-index-mapping',
  source: 'https://docs.opensearch.org/1.0/search-plugins/knn/knn-index',
  check({ changes }) {
    return [...changes.values()].flatMap((change) => {
      if (change.type !== 'AWS::OpenSearchServerless::Index' || change.action !== 'update' || !change.before || !change.after) return [];
      const changed = changedFields(fieldsOf(change.before.Properties?.Mappings), fieldsOf(change.after.Properties?.Mappings));
      const knn = (properties: typeof change.before.Properties) => (properties?.Settings as { Index?: { Knn?: unknown } } | undefined)?.Index?.Knn;
      if (!deepEqual(knn(change.before.Properties), knn(change.after.Properties))) changed.push('index.knn');
      if (changed.length === 0) return [];
      return [
        {
          logicalId: change.logicalId,
          reason: `CloudFormation would update ${changed.join(', ')} of the existing index in place, and OpenSearch does not change an existing field's mapping (type, dimension, method, space type, engine, m, ef_construction) or index.knn`,
          remedy: 'create a new index for the new mapping (for example named by a hash of it), fill it from the source of truth (the embedding-refresh queue re-embeds the documents), move readers to it, then drop the old one',
        },
      ];
    });
  },
};

function fieldsOf(mappings: unknown): Fields {
  return ((mappings as { Properties?: Fields } | undefined)?.Properties ?? {}) as Fields;
}

/** Fields present before and after whose mapping differs, nested object fields by their path. */
function changedFields(before: Fields, after: Fields, prefix = ''): string[] {
  return Object.keys(before).flatMap((name) => {
    if (!(name in after) || deepEqual(before[name], after[name])) return [];
    const nestedBefore = (before[name] as { Properties?: Fields }).Properties;
    const nestedAfter = (after[name] as { Properties?: Fields }).Properties;
    if (nestedBefore && nestedAfter && deepEqual({ ...(before[name] as object), Properties: undefined }, { ...(after[name] as object), Properties: undefined })) {
      return changedFields(nestedBefore, nestedAfter, `${prefix}${name}.`);
    }
    return [`field ${prefix}${name}`];
  });
}
