// DiagnoseVpnConnections rows → `TunnelDiagnosis`.
import type * as $Vpc from '@alicloud/vpc20160428';
import type { TunnelDiagnosis } from '../../model/snapshot.js';
import { numberOrNull, text } from '../values.js';

export function normaliseDiagnosis(
  r: $Vpc.DiagnoseVpnConnectionsResponseBodyVpnConnections,
): TunnelDiagnosis {
  return {
    connectionId: text(r.vpnConnectionId),
    tunnelId: text(r.tunnelId),
    failedReasonCode: text(r.failedReasonCode),
    failedReason: text(r.failedReason),
    failedTime: numberOrNull(r.failedTime),
    mismatchLocal: text(r.mismatchLocalParam),
    mismatchRemote: text(r.mismatchRemoteParam),
    severity: text(r.severity),
    sourceLog: text(r.sourceLog),
  };
}
