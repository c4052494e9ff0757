/**
 * The credentials the Vertex model deployment calls Google with: the same sources, in the same
 * order, as the gcp provider that creates the rest of the stack, so one `pulumi up` acts as one
 * identity.
 *
 * Sources (pulumi/pulumi-gcp provider/resources.go reads the config keys and environment
 * variables; hashicorp/terraform-provider-google google/transport/config.go `GetCredentials`
 * applies them):
 * 1. `gcp:accessToken`, else GOOGLE_OAUTH_ACCESS_TOKEN: a token (or a file holding one);
 * 2. `gcp:credentials`, else GOOGLE_CREDENTIALS, GOOGLE_CLOUD_KEYFILE_JSON, GCLOUD_KEYFILE_JSON:
 *    a credentials JSON (or a file holding one);
 * 3. application-default credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, the
 *    metadata server);
 * whichever applies is then impersonated when `gcp:impersonateServiceAccount` (else
 * GOOGLE_IMPERSONATE_SERVICE_ACCOUNT) names a service account, through
 * `gcp:impersonateServiceAccountDelegates`.
 *
 * Headers come from google-auth-library's `getRequestHeaders`, which also carries
 * `x-goog-user-project` when the credentials name a quota project. With `gcp:userProjectOverride`
 * (USER_PROJECT_OVERRIDE) the header is `gcp:billingProject` (GOOGLE_BILLING_PROJECT), else the
 * deployment's project, as the provider sends it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { GoogleAuth, Impersonated, OAuth2Client, type AuthClient } from 'google-auth-library';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface GcpCredentialSettings {
  readonly accessToken?: string;
  /** A credentials JSON, or the path of one. */
  readonly credentials?: string;
  readonly impersonateServiceAccount?: string;
  readonly impersonateServiceAccountDelegates?: readonly string[];
  readonly billingProject?: string;
  readonly userProjectOverride?: boolean;
}

/** Anything that yields request headers: a google-auth-library `GoogleAuth` or `AuthClient`. */
export interface RequestHeadersSource {
  getRequestHeaders(url?: string): Promise<Headers | Readonly<Record<string, string>>>;
}

/** Google endpoints the auth clients call, replaceable for a test against local servers. */
export interface AuthEndpoints {
  /** OAuth 2.0 token endpoint for refresh-token (authorized_user) credentials. */
  readonly oauth2TokenUrl?: string;
  /** IAM Credentials API, for impersonation. */
  readonly iamCredentials?: string;
}

type Lookup = (key: string) => string | undefined;

const first = (...values: (string | undefined)[]) => values.find((v) => v !== undefined && v !== '');

/**
 * The settings from stack config (`gcp:` keys, as the dynamic provider's `configure` receives
 * them) and the environment, config first.
 */
export function credentialSettings(config: Lookup, env: Readonly<Record<string, string | undefined>>): GcpCredentialSettings {
  const delegates = first(config('gcp:impersonateServiceAccountDelegates'));
  const override = first(config('gcp:userProjectOverride'), env.USER_PROJECT_OVERRIDE);
  return {
    accessToken: first(config('gcp:accessToken'), env.GOOGLE_OAUTH_ACCESS_TOKEN),
    credentials: first(config('gcp:credentials'), env.GOOGLE_CREDENTIALS, env.GOOGLE_CLOUD_KEYFILE_JSON, env.GCLOUD_KEYFILE_JSON),
    impersonateServiceAccount: first(config('gcp:impersonateServiceAccount'), env.GOOGLE_IMPERSONATE_SERVICE_ACCOUNT),
    impersonateServiceAccountDelegates: delegates ? (JSON.parse(delegates) as string[]) : undefined,
    billingProject: first(config('gcp:billingProject'), env.GOOGLE_BILLING_PROJECT),
    userProjectOverride: override === undefined ? undefined : override === 'true' || override === '1',
  };
}

/** Which source `credentialSettings` leads to, for messages. */
export function credentialSource(settings: GcpCredentialSettings): string {
  const base = settings.accessToken ? 'the access token (gcp:accessToken)' : settings.credentials ? 'the credentials JSON (gcp:credentials)' : 'application-default credentials';
  return settings.impersonateServiceAccount ? `${base}, impersonating ${settings.impersonateServiceAccount}` : base;
}

/** verify.PathOrContents: a file's contents when the value names a file (`~` expanded), else the value. */
export function pathOrContents(value: string): string {
  const path = value.startsWith('~/') ? `${homedir()}${value.slice(1)}` : value;
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : value;
}

/** The header source for these settings. */
export async function gcpAuth(settings: GcpCredentialSettings, endpoints: AuthEndpoints = {}): Promise<RequestHeadersSource> {
  const clientOptions = endpoints.oauth2TokenUrl ? { endpoints: { oauth2TokenUrl: endpoints.oauth2TokenUrl } } : undefined;
  let source: AuthClient | GoogleAuth;
  if (settings.accessToken) {
    const client = new OAuth2Client();
    client.setCredentials({ access_token: pathOrContents(settings.accessToken) });
    source = client;
  } else if (settings.credentials) {
    source = new GoogleAuth({ credentials: JSON.parse(pathOrContents(settings.credentials)) as object, scopes: [CLOUD_PLATFORM_SCOPE], clientOptions });
  } else {
    source = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE], clientOptions });
  }
  if (!settings.impersonateServiceAccount) return source;
  return new Impersonated({
    sourceClient: source instanceof GoogleAuth ? await source.getClient() : source,
    targetPrincipal: settings.impersonateServiceAccount,
    delegates: [...(settings.impersonateServiceAccountDelegates ?? [])],
    targetScopes: [CLOUD_PLATFORM_SCOPE],
    lifetime: 3600,
    endpoint: endpoints.iamCredentials,
  });
}

/** The `x-goog-user-project` the provider would send for `project`, when it overrides one. */
export function userProjectOverride(settings: GcpCredentialSettings, project: string): string | undefined {
  return settings.userProjectOverride ? (settings.billingProject ?? project) : undefined;
}
