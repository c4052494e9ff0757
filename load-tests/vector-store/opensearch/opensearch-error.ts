/**
 * OpenSearch's error JSON, `{"error":{"root_cause":[…],"type","reason",…},"status"}`, which the
 * official clients turn into a `ResponseError` whose `meta.body.error.type` callers branch on
 * (https://docs.opensearch.org/latest/api-reference/, "Common REST parameters"/error responses).
 * Thrown by the parsers and the collection; the service writes it with its status.
 */
export class OpenSearchError extends Error {
  constructor(
    readonly status: number,
    /** OpenSearch's exception type, e.g. `index_not_found_exception`. */
    readonly type: string,
    readonly reason: string,
    /** Extra fields OpenSearch puts beside type and reason (`index`, `line`, …). */
    readonly details: Readonly<Record<string, unknown>> = {},
    /** The wrapping exception OpenSearch answers with, when it wraps this one (search phase failures). */
    readonly wrapper?: { readonly type: string; readonly reason: string; readonly extra?: Readonly<Record<string, unknown>> },
  ) {
    super(`${type}: ${reason}`);
    this.name = 'OpenSearchError';
  }

  /** The `error` object of a response or of a bulk item. */
  errorObject(): Record<string, unknown> {
    return { type: this.type, reason: this.reason, ...this.details };
  }

  body(): { error: Record<string, unknown>; status: number } {
    const root = this.errorObject();
    const top = this.wrapper ? { type: this.wrapper.type, reason: this.wrapper.reason, ...this.wrapper.extra, caused_by: root } : root;
    return { error: { root_cause: [root], ...top }, status: this.status };
  }
}

export function indexNotFound(index: string): OpenSearchError {
  return new OpenSearchError(404, 'index_not_found_exception', `no such index [${index}]`, {
    index,
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
  });
}

export function illegalArgument(reason: string): OpenSearchError {
  return new OpenSearchError(400, 'illegal_argument_exception', reason);
}

/** A request body that is not the JSON or the shape OpenSearch's parser expects. */
export function parseError(reason: string, type: 'parsing_exception' | 'x_content_parse_exception' = 'x_content_parse_exception'): OpenSearchError {
  return new OpenSearchError(400, type, reason, { line: 1, col: 1 });
}

export function mapperParsing(reason: string): OpenSearchError {
  return new OpenSearchError(400, 'mapper_parsing_exception', reason);
}
