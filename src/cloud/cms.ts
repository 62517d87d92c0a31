import { cmsBodyFailure, toCloudError } from './failure.js';

/**
 * Throw a CloudError when a CloudMonitor body says `Success: false` (HTTP 200). RegionApi.call already
 * does this for every `cms` call; use this for bodies obtained another way.
 */
export function assertCmsSuccess(
  body: { success?: boolean; code?: string; message?: string; requestId?: string },
  where: { action: string; account: string; region: string },
): void {
  if (body.success !== false) return;
  throw toCloudError(cmsBodyFailure(body), { ...where, product: 'cms' }, 1);
}
