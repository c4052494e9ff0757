/**
 * Construct ids from topology names. Construct ids feed logical ids, which are public API: a
 * changed id replaces the resource, so ids derive only from names the user chose.
 */

/** `embedding-refresh` → `EmbeddingRefresh`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
