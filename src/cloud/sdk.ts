// The SDK packages are CommonJS with `exports.default = Client`. Resolve the classes once here.
import CmsModule from '@alicloud/cms20190101';
import CredentialsModule from '@alicloud/credentials';
import EcsModule from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import VpcModule from '@alicloud/vpc20160428';
import * as $dara from '@darabonba/typescript';

/**
 * Node's own interop hands us `module.exports` (class at `.default`); bundlers and test runners with
 * default-interop (vitest) hand us the class itself. Accept both.
 */
function cjsDefault<T>(mod: { default: T }): T {
  const m = mod as unknown;
  return (typeof m === 'function' ? m : (m as { default: T }).default) as T;
}

export const VpcSdkClient = cjsDefault(VpcModule);
export const EcsSdkClient = cjsDefault(EcsModule);
export const CmsSdkClient = cjsDefault(CmsModule);
export const CredentialClient = cjsDefault(CredentialsModule);
export const OpenApiConfig = $OpenApiUtil.Config;
export const RuntimeOptionsClass = $dara.RuntimeOptions;
