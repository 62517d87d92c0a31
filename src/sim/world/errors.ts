// The API errors world handlers raise, with Alibaba's codes, statuses and messages.
import { SimApiError } from '../protocol.js';

export const notFound = {
  vpnConnection: (id: string) =>
    new SimApiError(
      404,
      'InvalidVpnConnectionInstanceId.NotFound',
      `The specified vpn connection instance id (${id}) does not exist.`,
    ),
  vpnGateway: (id: string) =>
    new SimApiError(
      404,
      'InvalidVpnGatewayInstanceId.NotFound',
      `The specified vpn gateway instance id (${id}) does not exist.`,
    ),
  customerGateway: (id: string) =>
    new SimApiError(
      404,
      'InvalidCustomerGatewayInstanceId.NotFound',
      `The specified customer gateway instance id (${id}) does not exist.`,
    ),
  tunnel: (id: string) =>
    new SimApiError(404, 'InvalidTunnelId.NotFound', `The specified tunnel id (${id}) does not exist.`),
  diagnose: (id: string) =>
    new SimApiError(404, 'InvalidDiagnoseId.NotFound', `The specified diagnose id (${id}) does not exist.`),
};

export function invalidParameter(name: string, why: string): SimApiError {
  return new SimApiError(400, 'InvalidParameter', `The specified parameter ${name} is invalid: ${why}`);
}

/** A gateway created before 2019-03-21 that was never upgraded cannot run diagnostics. */
export function diagnoseUnsupported(gatewayId: string): SimApiError {
  return new SimApiError(
    400,
    'OperationUnsupported.DiagnoseVpn',
    `The VPN gateway ${gatewayId} does not support diagnosis. Upgrade the VPN gateway and try again.`,
  );
}
