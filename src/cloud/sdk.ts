// The SDK packages are CommonJS with `exports.default = Client`; from ESM their default import is the
// whole exports object. Resolve the classes once here.
import CmsModule from '@alicloud/cms20190101';
import CredentialsModule from '@alicloud/credentials';
import EcsModule from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import VpcModule from '@alicloud/vpc20160428';
import * as $dara from '@darabonba/typescript';

export const VpcSdkClient = VpcModule.default;
export const EcsSdkClient = EcsModule.default;
export const CmsSdkClient = CmsModule.default;
export const CredentialClient = CredentialsModule.default;
export const OpenApiConfig = $OpenApiUtil.Config;
export const RuntimeOptionsClass = $dara.RuntimeOptions;
