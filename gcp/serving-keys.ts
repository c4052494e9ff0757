/**
 * `ServingKeys`: one Cloud KMS key ring and one key per component, rotated every 90 days, with
 * encrypt/decrypt granted to exactly the service agents that use each key.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { statefulOptions } from './stateful-options';

/** 90 days: the longest rotation the KMS rule allows (Checkov CKV_GCP_43). */
export const KEY_ROTATION_PERIOD = '7776000s';

export const KEY_USER_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

export interface ServingKeySpec {
  /** Stable id, part of the key's name and URN (e.g. `endpoint-ranker`, `cache`). */
  readonly id: string;
  /** Service agents that encrypt with the key: a stable name and the IAM member. */
  readonly users: readonly {
    readonly name: string;
    readonly member: pulumi.Input<string>;
    /** What makes the member exist first (a service identity created on demand). */
    readonly after: readonly pulumi.Resource[];
  }[];
}

export interface ServingKeysArgs {
  readonly project: string;
  readonly region: string;
  readonly keys: readonly ServingKeySpec[];
  readonly labels: Readonly<Record<string, string>>;
  /** Keep rings and keys on delete and refuse to replace them (production). */
  readonly retainData: boolean;
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
      { project: args.project, location: args.region },
      { parent: this, ...statefulOptions('kms-key-ring', args.retainData) },
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
          labels: { ...args.labels, component: spec.id },
        },
        { parent: this, ...statefulOptions('kms-key', args.retainData) },
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

  /** The key for a component, or an error naming the ids that exist. */
  key(id: string): gcp.kms.CryptoKey {
    const key = this.keys[id];
    if (!key) throw new Error(`no serving key "${id}"; keys are ${Object.keys(this.keys).join(', ')}`);
    return key;
  }
}
