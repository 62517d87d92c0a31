// The open findings of a report, each with the connection it belongs to (GET /api/v1/findings).
import { z } from 'zod';
import { type Report, reportFindingSchema } from './schema.js';

export const fleetFindingSchema = reportFindingSchema.extend({
  connectionId: z.string(),
  connectionName: z.string(),
  account: z.string(),
  region: z.string(),
  vpnGatewayId: z.string(),
});
export type FleetFinding = z.output<typeof fleetFindingSchema>;

export const findingsListSchema = z.object({
  generatedAt: z.iso.datetime(),
  findings: z.array(fleetFindingSchema),
});
export type FindingsList = z.output<typeof findingsListSchema>;

/** The report's findings in its order (connections worst first, findings worst first). */
export function findingsList(report: Report): FindingsList {
  const findings = report.connections.flatMap((c) =>
    c.findings.map(
      (f): FleetFinding => ({
        ...f,
        connectionId: c.id,
        connectionName: c.name,
        account: c.account,
        region: c.region,
        vpnGatewayId: c.vpnGatewayId,
      }),
    ),
  );
  return { generatedAt: report.generatedAt, findings };
}
