/**
 * OpenSearch does not change an existing field's mapping: a knn_vector field's type, dimension and
 * method (name, space type, engine, parameters such as m and ef_construction) are not updatable
 * (OpenSearch k-NN documentation, "k-NN Index", mapping parameters), and `index.knn` is fixed when
 * the index is created. Our vector index names itself after a hash of its body, so a new mapping
 * is a new index; a `Custom::VectorIndex` whose body changes under the same name (a construct user
 * who fixed `indexName`) would keep the old index, and the new mapping would never apply.
 */
import { deepEqual } from '@aws-cdk/cloudformation-diff';
import type { UpdateRule } from './update-rule';

type Fields = Record<string, unknown>;
interface IndexBody {
  readonly settings?: { readonly index?: { readonly knn?: unknown } };
  readonly mappings?: { readonly properties?: Fields };
}

export const opensearchIndexMapping: UpdateRule = {
  id: 'opensearch-index-mapping',
  source: 'https://docs.opensearch.org/1.0/search-plugins/knn/knn-index',
  check({ changes }) {
    return [...changes.values()].flatMap((change) => {
      if (change.type !== 'Custom::VectorIndex' || change.action !== 'update' || !change.before || !change.after) return [];
      const before = bodyOf(change.before.Properties?.IndexBody);
      const after = bodyOf(change.after.Properties?.IndexBody);
      const changed = changedFields(before.mappings?.properties ?? {}, after.mappings?.properties ?? {});
      if (!deepEqual(before.settings?.index?.knn, after.settings?.index?.knn)) changed.push('index.knn');
      if (changed.length === 0) return [];
      return [
        {
          logicalId: change.logicalId,
          reason: `${changed.join(', ')} of the index change under the same index name; OpenSearch does not change an existing field's mapping (type, dimension, method, space type, engine, m, ef_construction) or index.knn, so the existing index would stay as it is`,
          remedy: 'name the index after its mapping (the default: VectorStore names it <indexName>-<hash of the body>), so the change creates a new index; fill it from the source of truth (the embedding-refresh queue re-embeds the documents), move readers to it, then drop the old one',
        },
      ];
    });
  },
};

function bodyOf(text: unknown): IndexBody {
  return typeof text === 'string' ? (JSON.parse(text) as IndexBody) : {};
}

/** Fields present before and after whose mapping differs, nested object fields by their path. */
function changedFields(before: Fields, after: Fields, prefix = ''): string[] {
  return Object.keys(before).flatMap((name) => {
    if (!(name in after) || deepEqual(before[name], after[name])) return [];
    const nestedBefore = (before[name] as { properties?: Fields }).properties;
    const nestedAfter = (after[name] as { properties?: Fields }).properties;
    if (nestedBefore && nestedAfter && deepEqual({ ...(before[name] as object), properties: undefined }, { ...(after[name] as object), properties: undefined })) {
      return changedFields(nestedBefore, nestedAfter, `${prefix}${name}.`);
    }
    return [`field ${prefix}${name}`];
  });
}
