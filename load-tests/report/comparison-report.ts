/**
 * The comparison report: what `serving-stacks compare` writes as report.json, and what the
 * Markdown and HTML renderings are pure functions of. A documented contract
 * (load-tests/REPORT-FORMAT.md). Every figure says where it comes from: simulated, measured
 * locally, or a price list.
 */
import type { Cloud, ParityNote, ShapeWarning } from '../../constructs';
import type { CostBasis } from '../cost/cost-basis';
import type { CostLine, UsdRange } from '../cost/cost-lines';
import type { EvaluatedCandidate } from '../recommend/recommend';
import type { LatencyPercentiles, RequestCounts } from '../generator/result-format';
import type { AssumptionRecord, SensitivityCase } from '../../constructs/assumptions';
import type { CostCategory } from '../cost/cost-lines';
import type { ScaleToZeroOutcome } from '../cost/scale-to-zero-savings';
import type { SpikeMetrics } from '../simulator/spike-metrics';
import type { VectorQueryCost } from '../cost/vector-query-cost';
import type { EngineCurve } from '../vector-store/engine-curve';
import type { MinutePoint, SimulatedCaseFigures, SimulatedProfile } from '../simulator/simulation-result';
import type { CloudPipelineSimulation, PipelineSimulation } from '../simulator/pipeline-simulation-result';

export const REPORT_FORMAT_VERSION = 2;

export interface ComparisonReport {
  readonly formatVersion: typeof REPORT_FORMAT_VERSION;
  readonly generatedAt: string;
  /** The answer first: which cloud costs less, which rides the spike with less risk, and how sure that is. */
  readonly verdict: Verdict;
  readonly topology: {
    readonly name: string;
    readonly environment: string;
    readonly production: boolean;
    /** `preset <env>` or the topology file's path. */
    readonly source: string;
    readonly regions: { readonly aws: string; readonly gcp: string };
  };
  /** Where each kind of number comes from, in words a reader can check. */
  readonly provenance: Provenance;
  /** Compute requests a cloud runs on more accelerators than asked, as `serving-stacks validate` warns. */
  readonly warnings: readonly ShapeWarning[];
  /** Settings the two clouds realise differently, with the reason. */
  readonly parity: readonly ParityNote[];
  /** The offline plans: what each cloud would create. */
  readonly plan: { readonly aws: PlanSummary; readonly gcp: PlanSummary };
  readonly profile: SimulatedProfile & { readonly seed: number };
  readonly clouds: { readonly aws: CloudComparison; readonly gcp: CloudComparison };
  /** Each cloud at the three sensitivity cases: every unverified assumption and price at the end that favours it, as registered, at the end that disfavours it. */
  readonly sensitivity: { readonly aws: CloudSensitivity; readonly gcp: CloudSensitivity };
  /** How each endpoint rode the spike, per cloud (base case); absent when the profile has no spike. */
  readonly spike?: { readonly aws: Readonly<Record<string, SpikeMetrics>>; readonly gcp: Readonly<Record<string, SpikeMetrics>> };
  /** The assumption register the models read (constructs/assumptions/register.ts). */
  readonly assumptions: readonly ReportedAssumption[];
  /** Measured against the local endpoints through the real clients; absent when skipped. */
  readonly liveLoadTest?: LiveLoadTest;
  /** Index tuning on the local indexes and the vector search's cost per million queries; absent without a vector store or with --no-retrieval. */
  readonly retrieval?: RetrievalSection;
  /** Endpoints at scaling.min 0: the diurnal and breaking-news days with and without scale to zero, each cloud side by side; absent when no endpoint is at min 0. */
  readonly scaleToZero?: ScaleToZeroSection;
  /** The embedding-refresh pipeline's cost per million documents and simulated day on each cloud; absent when the topology has no pipeline. */
  readonly pipeline?: PipelineSection;
}

/** The embedding-refresh pipeline (load-tests/report/pipeline-section.ts). */
export interface PipelineSection {
  readonly profile: { readonly name: string; readonly hours: number; readonly seed: number };
  readonly documentsPerDay: number;
  readonly documentsPerDaySource: PipelineSimulation['documentsPerDaySource'];
  readonly documents: number;
  readonly sloSeconds: number;
  readonly settings: PipelineSimulation['settings'];
  /** Each cloud's simulated day without its per-minute series: cost per million documents with its band and prices, freshness against the SLO. */
  readonly clouds: { readonly aws: PipelineCloudFigures; readonly gcp: PipelineCloudFigures };
  /** The topology's parity notes on the pipeline (for example: GCP pushes one message per request). */
  readonly parity: readonly ParityNote[];
  /** The register entries the pipeline model read. */
  readonly assumptions: readonly ReportedAssumption[];
}

export type PipelineCloudFigures = Omit<CloudPipelineSimulation, 'series'> & {
  /** The day again with every unverified pipeline assumption at the end that favours the cloud (`low`) and disfavours it (`high`), each priced at the same end of the prices' ranges. */
  readonly band: { readonly low: PipelineCaseFigures; readonly high: PipelineCaseFigures };
};

export interface PipelineCaseFigures {
  readonly usdPerMillionDocuments: number | null;
  readonly freshnessP99Seconds: number | null;
  readonly sloViolationMinutes: number;
  readonly peakBacklog: number;
}

/** What scale to zero saves against what it loses, as `serving-stacks cost` computes it (load-tests/cost/scale-to-zero-savings.ts). */
export interface ScaleToZeroSection {
  /** The register entry the wait to first success rests on: `scale-to-zero.wake-seconds`, with its source and range. */
  readonly wakeAssumption: ReportedAssumption;
  readonly days: readonly ScaleToZeroDay[];
}

export interface ScaleToZeroDay {
  readonly profile: { readonly name: string; readonly hours: number; readonly seed: number };
  /** Per endpoint at min 0, each cloud side by side. */
  readonly endpoints: Readonly<Record<string, { readonly aws: ScaleToZeroFigures; readonly gcp: ScaleToZeroFigures }>>;
}

/** One cloud's row of `serving-stacks cost --json`'s `scaleToZero`, without the cloud and endpoint it is filed under. */
export type ScaleToZeroFigures = Omit<ScaleToZeroOutcome, 'cloud' | 'endpoint'>;

/** The report's index sweep on the local indexes (load-tests/report/retrieval-section.ts). */
export interface RetrievalSweep {
  /** That the local indexes are not the clouds' engines and their latency is relative. */
  readonly note: string;
  /** The generated news corpus swept: the same documents `serving-stacks corpus --seed <seed>` writes. */
  readonly corpus: {
    readonly generator: string;
    readonly seed: number;
    readonly documents: number;
    readonly queries: number;
    readonly dimensions: number;
    readonly metric: string;
  };
  /** Recall@k the recommendation must reach, and the topology's vectorStore.slo.p99Ms (null when unset). */
  readonly target: { readonly recall: number; readonly k: number; readonly p99Ms: number | null };
  /** Per engine (OpenSearch and Vertex, or pgvector), the curve setting → recall@k, p50/p99 of the local index. */
  readonly engines: readonly EngineCurve[];
  /** Wall-clock seconds the sweep took on this machine (corpus, indexes, measurements). */
  readonly sweepSeconds: number;
}

export interface RetrievalSection extends RetrievalSweep {
  /** The vector store's monthly cost over the topology's queries a month, per cloud; null when the cloud is unpriced. */
  readonly costPerMillionQueries: { readonly aws: CloudVectorQueryCost | null; readonly gcp: CloudVectorQueryCost | null };
}

export type CloudVectorQueryCost = VectorQueryCost & { readonly engine: string };

export interface Provenance {
  readonly simulated: string;
  readonly measuredLocally: string;
  readonly priceList: string;
}

export interface PlanSummary {
  readonly resources: number;
  /** Resource count by CloudFormation type or Pulumi type token. */
  readonly byKind: Readonly<Record<string, number>>;
}

export interface CloudComparison {
  readonly cloud: Cloud;
  readonly region: string;
  /** The topology at its minimum replicas, from the price list; null when no price list covers the region. */
  readonly hourlyCostUsd: number | null;
  readonly monthlyCostUsd: number | null;
  readonly oneOffCostUsd: number | null;
  /** The monthly cost at the ends of the unverified prices' and sizing rules' ranges. */
  readonly monthlyCostRangeUsd: UsdRange | null;
  /** What the cost rests on: price list, cache and vector-store sizing (vector count, OCUs, shards), one-off charges, capacity files. */
  readonly costBasis: CostBasis & { readonly capacityFiles: readonly { readonly endpoint: string; readonly file: string }[] };
  /** Everything the topology costs over the simulated profile, per million requests served. */
  readonly costPerMillionInferencesUsd: number | null;
  /** Endpoint replicas alone, per million requests served, over the simulated profile. */
  readonly endpointCostPerMillionInferencesUsd: number | null;
  /** A month of simulated days. */
  readonly monthlyCostAtSimulatedLoadUsd: number | null;
  readonly costLines: readonly CostLine[];
  readonly unpriced: readonly string[];
  readonly simulation: {
    /** What the cloud answers a request it has no room for. */
    readonly rejectedAs: string;
    readonly endpoints: Readonly<Record<string, EndpointSimulationSummary>>;
  };
  readonly recommendation: Readonly<Record<string, EndpointRecommendationSummary>>;
}

export interface EndpointSimulationSummary {
  readonly peakRequestsPerSecond: number;
  readonly arrivals: number;
  readonly droppedRequests: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly sloP99Ms: number;
  readonly sloViolationMinutes: number;
  readonly replicaHours: number;
  /** Seconds from the spike's start to the first scale-out decision and to the first new replica serving. */
  readonly spikeReaction?: { readonly decidedAfterSeconds: number; readonly readyAfterSeconds?: number };
  /** Per-minute replicas, p99 and drops (the charts' data). */
  readonly series: readonly MinutePoint[];
  /** Latency percentile spectrum of the whole run, for the distribution chart. */
  readonly latencySpectrum: readonly { readonly percentile: number; readonly ms: number }[];
}

export interface EndpointRecommendationSummary {
  readonly current: EvaluatedCandidate;
  readonly recommended: EvaluatedCandidate | null;
  readonly closest?: EvaluatedCandidate;
}

export interface LiveLoadTest {
  /** Loopback URL of the local endpoints. */
  readonly emulatorUrl: string;
  readonly durationSeconds: number;
  readonly runs: readonly LiveRun[];
}

export interface LiveRun {
  readonly cloud: Cloud;
  /** The real client used, e.g. `@aws-sdk/client-sagemaker-runtime`. */
  readonly client: string;
  readonly endpoint: string;
  readonly requestedRate: number;
  readonly achievedRate: number;
  readonly valid: boolean;
  readonly invalidReasons: readonly string[];
  readonly counts: RequestCounts;
  readonly latencyMs: { readonly corrected: LatencyPercentiles; readonly uncorrected: LatencyPercentiles };
}

/** One cloud's figures at one sensitivity case; the names are the ones `clouds.<cloud>` and the simulation totals use. */
export interface SensitivityCaseFigures extends SimulatedCaseFigures {
  /** The topology at its minimum replicas, prices at the case's end of their ranges; null without prices. */
  readonly monthlyCostUsd: number | null;
  /** A month of the case's simulated days, prices at the case's end; null without prices. */
  readonly monthlyCostAtSimulatedLoadUsd: number | null;
}

export type CloudSensitivity = Readonly<Record<SensitivityCase, SensitivityCaseFigures>>;

/** An assumption as `serving-stacks assumptions --json` prints it (constructs/assumptions/assumption-record.ts). */
export type ReportedAssumption = AssumptionRecord;

/** How two clouds' bands on one measure (lower is better) relate: the cloud whose whole band lies below, `overlap`, or `tied` (one and the same value). */
export type BandOutcome = Cloud | 'overlap' | 'tied';

export interface Verdict {
  /** Lower `monthlyCostUsd` at base; null when either cloud is unpriced or they cost the same. */
  readonly cheaperCloud: Cloud | null;
  /** Dearer / cheaper `monthlyCostUsd` at base (>= 1); null when either cloud is unpriced. */
  readonly costRatio: number | null;
  /** Lower at base on refused share and on SLO minutes (or lower on one, level on the other); null when the measures disagree or are level. */
  readonly lowerSpikeRiskCloud: Cloud | null;
  /** The cost categories that make most of the difference, largest first. */
  readonly costDrivers: readonly CostDriver[];
  /** Register names of the unverified assumptions the simulated figures moved with, widest range first. */
  readonly dependsOn: readonly string[];
  /** One cloud is cheaper and lower-risk across both bands. */
  readonly clearWinner: boolean;
  /** Each measure's bands compared; `monthlyCostUsd` null when a cloud is unpriced. */
  readonly bands: {
    readonly monthlyCostUsd: BandOutcome | null;
    readonly refusedShare: BandOutcome;
    readonly sloViolationMinutes: BandOutcome;
  };
  /** The opening paragraph of report.md and report.html. */
  readonly summary: string;
}

export interface CostDriver {
  readonly category: CostCategory;
  readonly awsMonthlyUsd: number;
  readonly gcpMonthlyUsd: number;
  /** The dearer cloud's minus the cheaper cloud's monthly cost in this category. */
  readonly differenceUsd: number;
  /** The category's lines on each cloud, with their price tags. */
  readonly lines: readonly { readonly cloud: Cloud; readonly item: string; readonly resource: string; readonly monthlyUsd: number; readonly tag: string }[];
}
