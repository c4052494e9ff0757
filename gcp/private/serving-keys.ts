/**
 * `ServingKeys`: one Cloud KMS key ring and one key per component, rotated every 90 days, with
 * encrypt/decrypt granted to exactly the service agents that use each key.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ComponentKey, ServiceAgentGrantee, ServingContext } from '../serving-context';
import { statefulOptions } from './stateful-options';

/** 90 days: the longest rotation the KMS rule allows (Checkov CKV_GCP_43). */
export const KEY_ROTATION_PERIOD = '7776000s';

export const KEY_USER_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

export interface ServingKeySpec {
  /** The key's name (the resolved topology's `keyName`, e.g. `endpoint-ranker`, `cache`), also part of its URN. */
  readonly id: string;
  /** Service agents that encrypt with the key, each by a stable name. */
  readonly users: readonly (ServiceAgentGrantee & { readonly name: string })[];
}

export interface ServingKeysArgs {
  /** Rings and keys are kept on delete and refuse replacement when the context retains data. */
  readonly context: ServingContext;
  readonly keys: readonly ServingKeySpec[];
}

export class ServingKeys extends pulumi.ComponentResource {
  readonly keyRing: gcp.kms.KeyRing;
  readonly keys: Readonly<Record<string, gcp.kms.CryptoKey>>;
  /** Grants per key id: resources that encrypt with a key depend on these, or their creation fails. */
  readonly grants: Readonly<Record<string, readonly gcp.kms.CryptoKeyIAMMember[]>>;

  constructor(name: string, args: ServingKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:ServingKeys', name, {}, opts);
    // No explicit ring name: Cloud KMS never deletes a key ring, so a fixed name would collide
    // with the ring a destroyed stack left behind; Pulumi's auto-name adds a random suffix.
    this.keyRing = new gcp.kms.KeyRing(
      `${name}-ring`,
      { project: args.context.project, location: args.context.region },
      { parent: this, ...statefulOptions('kms-key-ring', args.context.retainData) },
    );
    const keys: Record<string, gcp.kms.CryptoKey> = {};
    const grants: Record<string, gcp.kms.CryptoKeyIAMMember[]> = {};
    for (const spec of args.keys) {
      const key = new gcp.kms.CryptoKey(
        `${name}-${spec.id}`,
        {
          name: spec.id,
          keyRing: this.keyRing.id,
          purpose: 'ENCRYPT_DECRYPT',
          rotationPeriod: KEY_ROTATION_PERIOD,
          labels: { ...args.context.labels, component: spec.id },
        },
        { parent: this, ...statefulOptions('kms-key', args.context.retainData) },
      );
      keys[spec.id] = key;
      grants[spec.id] = spec.users.map(
        (user) =>
          new gcp.kms.CryptoKeyIAMMember(
            `${name}-${spec.id}-${user.name}`,
            { cryptoKeyId: key.id, role: KEY_USER_ROLE, member: user.member },
            { parent: this, dependsOn: [...user.after] },
          ),
      );
    }
    this.keys = keys;
    this.grants = grants;
    this.registerOutputs({ keyRing: this.keyRing.id, keys: Object.fromEntries(Object.entries(keys).map(([id, k]) => [id, k.id])) });
  }

  /** The key of a component and its grants, or an error naming the keys that exist. */
  forComponent(id: string): ComponentKey {
    const key = this.keys[id];
    if (!key) throw new Error(`no serving key "${id}"; keys are ${Object.keys(this.keys).join(', ')}`);
    return { kmsKeyName: key.id, grants: this.grants[id] };
  }
}
