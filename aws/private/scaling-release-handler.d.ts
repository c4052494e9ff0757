/** Types of `scaling-release-handler.js`, the inline Lambda code of `ScalingRelease`. */
export interface ReleasedVariant {
  readonly VariantName: string;
  readonly InstanceType: string;
}

export interface ReleaseProperties {
  readonly EndpointName: string;
  readonly Variants: readonly ReleasedVariant[];
}

export interface ReleaseEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: ReleaseProperties;
  readonly OldResourceProperties?: ReleaseProperties;
}

export declare function handler(event: ReleaseEvent): Promise<void>;
