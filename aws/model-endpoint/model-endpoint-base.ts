/**
 * `IModelEndpoint`: what any SageMaker endpoint offers, whether this stack owns it (`ModelEndpoint`)
 * or another stack does (`ModelEndpoint.fromEndpointName`): its name and ARN, `grantInvoke`, and its
 * CloudWatch metrics. It extends aws-cdk-lib's `sagemaker.IEndpoint`, so it also fits where that is
 * taken (an API Gateway `SagemakerIntegration`).
 */
import { Resource } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { ASYNC_BACKLOG_PER_INSTANCE, endpointMetric, ENDPOINT_METRICS, variantMetric, type EndpointMetricDefinition } from '../private/endpoint-metrics';

/** Options for a variant metric; everything else is `cloudwatch.MetricOptions`, applied last. */
export interface EndpointMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The variant to measure.
   * @default - the endpoint's first variant (an imported endpoint knows one only when given at import)
   */
  readonly variantName?: string;
}

export interface IModelEndpoint extends sagemaker.IEndpoint {
  /** Any `AWS/SageMaker` metric of one variant (Average unless the options say otherwise). */
  metric(metricName: string, props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Requests served per minute (Sum). Real-time and serverless endpoints only: async endpoints do not publish it. */
  metricInvocations(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Requests per minute divided by instances (Sum): the default target-tracking metric. Not published for async endpoints. */
  metricInvocationsPerInstance(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Async requests processed per minute (Sum). Async endpoints only. */
  metricInvocationsProcessed(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Async requests that failed, per minute (Sum). Async endpoints only. */
  metricInvocationFailures(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Queued async requests per instance, endpoint-wide (Average): what async endpoints scale on. Async endpoints only. */
  metricApproximateBacklogSizePerInstance(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Requests the model answered with 4XX (Sum). */
  metricInvocation4XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Requests the model answered with 5XX (Sum). */
  metricInvocation5XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Time the model container took, in microseconds (p99). */
  metricModelLatency(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Time SageMaker added around the model, in microseconds (p99). */
  metricOverheadLatency(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** In-flight and queued requests per model copy, published every 10 seconds (Maximum). */
  metricConcurrentRequestsPerModel(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** CPU utilisation summed over cores, 0–100 × vCPUs (Average). */
  metricCpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** GPU utilisation summed over GPUs, 0–100 × GPUs (Average). */
  metricGpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Memory utilisation of the instances, percent (Average). */
  metricMemoryUtilization(props?: EndpointMetricOptions): cloudwatch.Metric;
}

/** The grant and the metrics, written once for owned and imported endpoints. */
export abstract class ModelEndpointBase extends Resource implements IModelEndpoint {
  abstract readonly endpointName: string;
  abstract readonly endpointArn: string;
  /** The variant a metric measures when its options name none; undefined when it is not known. */
  protected abstract readonly defaultVariantName: string | undefined;

  get endpointRef(): sagemaker.EndpointReference {
    return { endpointArn: this.endpointArn };
  }

  /**
   * Lets `grantee` call a real-time or serverless endpoint: `sagemaker:InvokeEndpoint` on this
   * endpoint's ARN. An async endpoint takes requests only through InvokeEndpointAsync (on an owned
   * endpoint, `grantInvokeAsync`).
   */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }

  metric(metricName: string, props: EndpointMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric({ namespace: ENDPOINT_METRICS.invocations.namespace, metricName, statistic: 'Average' }, props);
  }

  metricInvocations(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocations, props);
  }

  metricInvocationsPerInstance(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocationsPerInstance, props);
  }

  metricInvocationsProcessed(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocationsProcessed, props);
  }

  metricInvocationFailures(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocationFailures, props);
  }

  metricApproximateBacklogSizePerInstance(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return endpointMetric(ASYNC_BACKLOG_PER_INSTANCE, this.endpointName, props);
  }

  metricInvocation4XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocation4xxErrors, props);
  }

  metricInvocation5XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocation5xxErrors, props);
  }

  metricModelLatency(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.modelLatency, props);
  }

  metricOverheadLatency(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.overheadLatency, props);
  }

  metricConcurrentRequestsPerModel(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.concurrentRequestsPerModel, props);
  }

  metricCpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.cpuUtilization, props);
  }

  metricGpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.gpuUtilization, props);
  }

  metricMemoryUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.memoryUtilization, props);
  }

  private variantMetric(definition: EndpointMetricDefinition, props: EndpointMetricOptions = {}): cloudwatch.Metric {
    const { variantName, ...options } = props;
    const variant = variantName ?? this.defaultVariantName;
    if (variant === undefined) {
      throw new Error(
        `${this.node.path}: ${definition.metricName} is published per variant, and this imported endpoint (${this.endpointName}) names none: pass variantName, or import it with ModelEndpoint.fromEndpointAttributes({ endpointName, variantName })`,
      );
    }
    return this.metricOfVariant(definition, variant, options);
  }

  /** One variant's metric: EndpointName and VariantName dimensions. An inference component measures by its own name. */
  protected metricOfVariant(definition: EndpointMetricDefinition, variantName: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    return variantMetric(definition, this.endpointName, variantName, options);
  }
}
