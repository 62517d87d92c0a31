// Severity follows impact, end to end over the real SDK and the simulator: DhGroupMismatch on the
// standby tunnel only is a warning (the fleet is not critical, AliVpnCriticalFinding has nothing to
// fire on); the same cause on both tunnels has taken the connection down and is critical.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReport, reportInputFromView } from '../../src/report/build.js';
import { exitCodeFor } from '../../src/report/schema.js';
import { type Harness, startHarness } from './helpers.js';

const HZ_TOKYO = 'vco-bp1hztokyo00000001';

describe('severity follows impact against the simulator', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('healthy');
  });
  afterEach(async () => {
    await h.close();
  });

  const cycle = async () => {
    h.sim.advance(30);
    await h.parts.doctor.runStatus();
    await h.parts.doctor.runTopology();
  };
  const dh = () =>
    h.parts.doctor
      .diagnosis()
      .findings.filter((f) => f.connectionId === HZ_TOKYO && f.rule === 'dh-group-mismatch');

  it('a standby-only failure is a warning; both tunnels down is critical', async () => {
    const { doctor } = h.parts;
    await doctor.collectOnce();
    const fail = async (tunnel: 1 | 2) =>
      expect(
        (await h.sim.control.post('incidents', { connectionId: HZ_TOKYO, tunnel, cause: 'DhGroupMismatch' }))
          .status,
      ).toBe(200);

    await fail(2);
    await cycle();
    expect(dh().map((f) => f.severity)).toEqual(['warning']);
    let report = buildReport(reportInputFromView(doctor));
    const conn = report.connections.find((c) => c.id === HZ_TOKYO)!;
    expect(conn.status).toBe('warning');
    expect(report.status).not.toBe('critical');
    expect(exitCodeFor(report)).toBe(1);
    const finding = conn.findings.find((f) => f.rule === 'dh-group-mismatch')!;
    expect(finding.severity).toBe('warning');

    await fail(1);
    await cycle();
    expect(dh().map((f) => f.severity)).toEqual(['critical', 'critical']);
    report = buildReport(reportInputFromView(doctor));
    expect(report.connections.find((c) => c.id === HZ_TOKYO)?.status).toBe('critical');
    expect(report.status).toBe('critical');
    expect(exitCodeFor(report)).toBe(2);
  });
});
