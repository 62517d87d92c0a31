// SDK client construction: one client per account × region × product.
import type { AccountConfig, ApiConfig } from '../config/index.js';
import { endpointFor } from './endpoints.js';
import { CmsSdkClient, CredentialClient, EcsSdkClient, OpenApiConfig, VpcSdkClient } from './sdk.js';
import type { CmsClient, EcsClient, Product, VpcClient } from './types.js';

type Credential = InstanceType<typeof CredentialClient>;

export interface RegionClients {
  vpc: VpcClient;
  ecs: EcsClient;
  cms: CmsClient;
}

/**
 * The credential for an account: static AccessKey (+ STS token) when configured, else the standard
 * @alicloud/credentials default chain (environment, profile file, RAM role, ECS metadata, OIDC/RRSA).
 * One instance per account so refreshed credentials are shared by all its clients.
 */
export function credentialFor(account: AccountConfig): Credential {
  if (account.accessKeyId !== undefined && account.accessKeySecret !== undefined) {
    return new CredentialClient({
      type: account.securityToken ? 'sts' : 'access_key',
      accessKeyId: account.accessKeyId,
      accessKeySecret: account.accessKeySecret,
      ...(account.securityToken && { securityToken: account.securityToken }),
    } as ConstructorParameters<typeof CredentialClient>[0]);
  }
  return firstCallShared(new CredentialClient());
}

/**
 * The default chain (@alicloud/credentials 2.4.7, providers/default.js) records the provider it is
 * trying as "last used" before that provider answers, so a call made while the first one walks the
 * chain goes straight to the provider being tried (the environment's, which has no AccessKey) and
 * fails: with two regions, one region's first collection failed under RRSA/OIDC. Until a credential
 * has been obtained once, concurrent calls share the one walk of the chain.
 */
function firstCallShared(credential: Credential): Credential {
  const walk = credential.getCredential.bind(credential);
  let pending: ReturnType<typeof walk> | undefined;
  let found = false;
  credential.getCredential = () => {
    if (found) return walk();
    pending ??= walk().then(
      (c) => {
        found = true;
        return c;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
  return credential;
}

export function sdkConfigFor(
  account: AccountConfig,
  region: string,
  product: Product,
  api: Pick<ApiConfig, 'readTimeoutMs' | 'connectTimeoutMs'>,
  credential: Credential,
): InstanceType<typeof OpenApiConfig> {
  const { endpoint, protocol } = endpointFor(account, product);
  return new OpenApiConfig({
    credential,
    regionId: region,
    protocol,
    ...(endpoint !== undefined && { endpoint }),
    // The SDK default of 3 s is too short for some VPC calls.
    readTimeout: api.readTimeoutMs,
    connectTimeout: api.connectTimeoutMs,
    userAgent: 'alivpn-doctor',
  });
}

export function createRegionClients(
  account: AccountConfig,
  region: string,
  api: Pick<ApiConfig, 'readTimeoutMs' | 'connectTimeoutMs'>,
  credential: Credential,
): RegionClients {
  const config = (product: Product) => sdkConfigFor(account, region, product, api, credential);
  return {
    vpc: new VpcSdkClient(config('vpc')),
    ecs: new EcsSdkClient(config('ecs')),
    cms: new CmsSdkClient(config('cms')),
  };
}
