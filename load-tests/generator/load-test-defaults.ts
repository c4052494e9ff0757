/** Defaults of a load test, each with its reason. */

/**
 * Both clouds cut a prediction at 60 s (SageMaker: https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html;
 * Vertex: https://github.com/googleapis/python-aiplatform/issues/1158); waiting longer measures nothing.
 */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Requests in flight at most. Open-loop load has no natural bound; this one protects the
 * generator's sockets and memory, and is high enough that a healthy endpoint never reaches it.
 */
export const DEFAULT_MAX_IN_FLIGHT = 1024;

/** Arrivals waiting for a slot at most, beyond which they are dropped (counted). */
export const DEFAULT_MAX_WAITING = 100_000;

/** After Ctrl-C, requests in flight get this long to answer before they are cancelled. */
export const DEFAULT_STOP_GRACE_MS = 2_000;

/** Payloads prepared per run and cycled. */
export const DEFAULT_PAYLOAD_COUNT = 32;

/** Hard caps: a mistyped rate or duration should fail, not flood an endpoint. */
export const MAX_RATE = 1_000_000;
export const MAX_DURATION_SECONDS = 24 * 3600;
export const MAX_WORKERS = 64;

export const DEFAULT_PROGRESS_INTERVAL_MS = 1_000;
