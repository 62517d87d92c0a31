// Calls the cloud tests make through a RegionApi: one list page, and the CloudError a failing call
// must throw.
import { DescribeVpnConnectionsRequest } from '@alicloud/vpc20160428';
import { expect } from 'vitest';
import { CloudError, type RegionApi } from '../../src/cloud/index.js';

/** The first page of DescribeVpnConnections of the api's region, through RegionApi.call. */
export const listConnections = (api: RegionApi) =>
  api.call('vpc', 'DescribeVpnConnections', (runtime) =>
    api.vpc.describeVpnConnectionsWithOptions(
      new DescribeVpnConnectionsRequest({ regionId: api.region, pageNumber: 1, pageSize: 50 }),
      runtime,
    ),
  );

/** The CloudError `p` rejects with (fails the test when it resolves or throws something else). */
export async function failure(p: Promise<unknown>): Promise<CloudError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CloudError);
    return err as CloudError;
  }
  throw new Error('expected the call to fail');
}
