/**
 * `ServingMonitoring`: where alerts go, a CMEK Pub/Sub alerts topic (the counterpart of the AWS
 * SNS alarm topic) plus one email channel per address, and the dashboard operators open first.
 * Every alert policy notifies at least the alerts topic, so no alert goes nowhere. The policies
 * themselves live with the components they watch (ModelEndpoint, WorkQueue), as AWS alarms do.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedTopology } from '../constructs';
import { statefulOptions } from './private/stateful-options';
import type { ComponentKey, ServiceAgentGrantee, ServingContext } from './serving-context';

/** Where a component's alert policies send their notifications. */
export interface AlertDestination {
  readonly notificationChannels: readonly pulumi.Input<string>[];
  /**
   * The alias of a policy ServingMonitoring owned under `id` before alerts moved to their
   * components: with it, `pulumi up` moves the policy instead of replacing it.
   */
  formerPolicy?(id: string): pulumi.Alias;
}

export interface ServingMonitoringArgs {
  readonly context: ServingContext;
  /** Who gets alert emails, and the alerts topic's name. */
  readonly monitoring: ResolvedTopology['monitoring'];
  /** Encrypts the alerts topic. */
  readonly key: ComponentKey;
  /** The Cloud Monitoring notification agent, which publishes to the alerts topic. */
  readonly notificationAgent: ServiceAgentGrantee;
}

/** Alert charts side by side: latency and errors of one endpoint on one line. */
export const DASHBOARD_COLUMNS = 2;

export class ServingMonitoring extends pulumi.ComponentResource implements AlertDestination {
  readonly alertsTopic: gcp.pubsub.Topic;
  readonly channels: readonly gcp.monitoring.NotificationChannel[];
  readonly notificationChannels: readonly pulumi.Output<string>[];
  private dashboardResource?: gcp.monitoring.Dashboard;

  constructor(
    private readonly componentName: string,
    private readonly args: ServingMonitoringArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('mlserve:gcp:ServingMonitoring', componentName, {}, opts);
    const name = componentName;
    const { project, labels, retainData } = args.context;
    const topicName = args.monitoring.gcp.alertsTopicName;
    this.alertsTopic = new gcp.pubsub.Topic(
      `${name}-alerts`,
      { project, name: topicName, kmsKeyName: args.key.kmsKeyName, labels: { ...labels, role: 'alerts' } },
      { parent: this, dependsOn: [...args.key.grants], ...statefulOptions('topic', retainData) },
    );
    const publisher = new gcp.pubsub.TopicIAMMember(
      `${name}-alerts-publisher`,
      { project, topic: this.alertsTopic.name, role: 'roles/pubsub.publisher', member: args.notificationAgent.member },
      { parent: this, dependsOn: [...args.notificationAgent.after] },
    );
    const topicChannel = new gcp.monitoring.NotificationChannel(
      `${name}-alerts-channel`,
      { project, type: 'pubsub', displayName: `${topicName} (Pub/Sub)`, labels: { topic: this.alertsTopic.id }, userLabels: labels },
      { parent: this, dependsOn: [publisher] },
    );
    const emailChannels = args.monitoring.alarmEmails.map(
      (email) =>
        new gcp.monitoring.NotificationChannel(
          `${name}-email-${email.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
          { project, type: 'email', displayName: email, labels: { email_address: email }, userLabels: labels },
          { parent: this },
        ),
    );
    this.channels = [topicChannel, ...emailChannels];
    this.notificationChannels = this.channels.map((c) => c.id);
    this.registerOutputs({ alertsTopic: this.alertsTopic.id, channels: this.notificationChannels });
  }

  formerPolicy(id: string): pulumi.Alias {
    return { name: `${this.componentName}-${id}`, parent: this };
  }

  /** The dashboard, once `addDashboard` made it. */
  get dashboard(): gcp.monitoring.Dashboard | undefined {
    return this.dashboardResource;
  }

  /**
   * The dashboard: the state of each alert policy (a Cloud Monitoring AlertChart widget each, the
   * counterpart of CloudWatch's alarm status widget). A dashboard is created whole, so this is
   * called once, when every component has made its policies.
   */
  addDashboard(policies: readonly gcp.monitoring.AlertPolicy[]): gcp.monitoring.Dashboard {
    if (this.dashboardResource) throw new Error(`${this.componentName} already has its dashboard`);
    const widgets = policies.map((p) => ({ title: p.displayName, alertChart: { name: p.name } }));
    this.dashboardResource = new gcp.monitoring.Dashboard(
      `${this.componentName}-dashboard`,
      {
        project: this.args.context.project,
        dashboardJson: pulumi.jsonStringify({
          displayName: `${this.args.context.topologyName}/${this.args.context.environment} serving`,
          gridLayout: { columns: DASHBOARD_COLUMNS, widgets },
          labels: this.args.context.labels,
        }),
      },
      { parent: this },
    );
    return this.dashboardResource;
  }
}
