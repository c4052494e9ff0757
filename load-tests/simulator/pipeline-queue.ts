/**
 * The embedding-refresh pipeline on a virtual clock: messages wait on an ordered queue and workers
 * take them as soon as a slot is free, with no batching window (an SQS event source mapping polls
 * continuously; Pub/Sub pushes each message as it comes). A worker takes up to
 * `messagesPerHandling` waiting messages, oldest first, skipping any whose document group already
 * has a message in flight: one message per group at a time (SQS FIFO message groups, Pub/Sub
 * ordering keys). A handling ends when its documents are searchable (the worker waits for it
 * before acknowledging), which frees the slot and the groups.
 *
 * Pure: arrivals and handling times in, per-message times and totals out.
 */

export interface PipelineWorkers {
  /** Hosts billed separately: Lambda invocations at once (AWS), function instances (GCP). */
  readonly instances: number;
  /** Handlings one instance runs at once: 1 on Lambda, the requests one Cloud Functions instance serves at once on GCP. */
  readonly slotsPerInstance: number;
  /** Messages one handling takes from the queue: the batch size on AWS, 1 on GCP (push delivers one message a request). */
  readonly messagesPerHandling: number;
  /** Seconds one handling of `messages` messages takes, enqueue excluded: embed, write, wait until searchable. */
  readonly handlingSeconds: (messages: number) => number;
}

export interface PipelineQueueRun {
  /** Per message, in arrival order: when it became searchable. */
  readonly searchableAt: Float64Array;
  /** Handlings started (Lambda invocations; push requests on GCP). */
  readonly handlings: number;
  /** Sum of every handling's duration, seconds. */
  readonly handlingSeconds: number;
  /** Seconds instances had at least one handling running, summed over instances (what request-based Cloud Run bills). */
  readonly instanceBusySeconds: number;
  /** Most messages waiting (enqueued, not yet taken by a worker) at once, and when. */
  readonly peakBacklog: number;
  readonly peakBacklogAtSeconds: number;
}

interface Handling {
  readonly endsAt: number;
  readonly instance: number;
  readonly messages: readonly number[];
}

/**
 * Runs every message through the workers. `arrivals` ascending, seconds; `groups[i]` the document
 * group of message i (default: every message its own group).
 */
export function runPipelineQueue(arrivals: Float64Array, workers: PipelineWorkers, groups?: ArrayLike<number>): PipelineQueueRun {
  const { instances, slotsPerInstance, messagesPerHandling } = workers;
  for (const [field, value] of Object.entries({ instances, slotsPerInstance, messagesPerHandling })) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`pipeline workers: ${field} must be a whole number >= 1, got ${value}`);
  }
  if (groups && groups.length !== arrivals.length) throw new RangeError(`pipeline queue: ${groups.length} groups for ${arrivals.length} arrivals`);
  const n = arrivals.length;
  const groupOf = (i: number) => (groups ? groups[i] : i);
  const searchableAt = new Float64Array(n);
  const taken = new Uint8Array(n);
  const inFlight = new Set<number>();
  const busySlots = new Int32Array(instances);
  const busySince = new Float64Array(instances);
  const running: Handling[] = [];
  let head = 0;
  let arrived = 0;
  let waiting = 0;
  let handlings = 0;
  let handlingSeconds = 0;
  let instanceBusySeconds = 0;
  let peakBacklog = 0;
  let peakBacklogAtSeconds = 0;

  const freeInstance = () => {
    for (let i = 0; i < instances; i++) if (busySlots[i] < slotsPerInstance) return i;
    return -1;
  };
  const take = () => {
    const batch: number[] = [];
    for (let i = head; i < arrived && batch.length < messagesPerHandling; i++) {
      if (taken[i] || inFlight.has(groupOf(i))) continue;
      taken[i] = 1;
      inFlight.add(groupOf(i));
      batch.push(i);
    }
    while (head < arrived && taken[head]) head++;
    waiting -= batch.length;
    return batch;
  };
  const dispatch = (now: number) => {
    while (waiting > 0) {
      const instance = freeInstance();
      if (instance < 0) return;
      const batch = take();
      if (batch.length === 0) return;
      const seconds = workers.handlingSeconds(batch.length);
      if (busySlots[instance] === 0) busySince[instance] = now;
      busySlots[instance]++;
      heapPush(running, { endsAt: now + seconds, instance, messages: batch });
      handlings++;
      handlingSeconds += seconds;
    }
  };

  while (arrived < n || running.length > 0) {
    const nextArrival = arrived < n ? arrivals[arrived] : Number.POSITIVE_INFINITY;
    // Completions first on a tie: the freed slot is there for the message arriving at that instant.
    if (running.length > 0 && running[0].endsAt <= nextArrival) {
      const done = heapPop(running);
      for (const i of done.messages) {
        searchableAt[i] = done.endsAt;
        inFlight.delete(groupOf(i));
      }
      if (--busySlots[done.instance] === 0) instanceBusySeconds += done.endsAt - busySince[done.instance];
      dispatch(done.endsAt);
    } else {
      arrived++;
      waiting++;
      dispatch(nextArrival);
      if (waiting > peakBacklog) {
        peakBacklog = waiting;
        peakBacklogAtSeconds = nextArrival;
      }
    }
  }
  return { searchableAt, handlings, handlingSeconds, instanceBusySeconds, peakBacklog, peakBacklogAtSeconds };
}

function heapPush(heap: Handling[], item: Handling): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent].endsAt <= heap[i].endsAt) break;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
}

function heapPop(heap: Handling[]): Handling {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && heap[left].endsAt < heap[smallest].endsAt) smallest = left;
      if (right < heap.length && heap[right].endsAt < heap[smallest].endsAt) smallest = right;
      if (smallest === i) break;
      [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
      i = smallest;
    }
  }
  return top;
}
