// One time zone for people: everything the reports show is UTC, labelled. Alibaba's gateway log
// lines (DescribeVpnConnectionLogs, the SourceLog of DiagnoseVpnConnections) carry a wall-clock time
// with no zone, `2023-01-13 11:39:21 vco-… [PROTO_ERR]: …`, and the documented examples fit UTC+8
// (Beijing time) against the query's From/To. Shown next to our UTC times, such a line read eight
// hours off. The stored line stays as Alibaba wrote it (the raw quote); where a person reads it, its
// time is converted and marked: `2023-01-13 03:39:21 UTC vco-… [PROTO_ERR]: …`.

/** The zone of Alibaba's gateway log times (docs/architecture.md, "Times"). */
export const ALIBABA_LOG_UTC_OFFSET_HOURS = 8;

// An Alibaba log stamp is followed by the connection id; our own UTC times are followed by "UTC",
// so a converted line is never converted twice.
const STAMP = /\b(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(?=\s+vco-)/g;

/** Unix ms of an Alibaba log stamp (`YYYY-MM-DD HH:MM:SS`, UTC+8), null when it is not one. */
export function alibabaLogTimeMs(stamp: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(stamp.trim());
  return m ? stampMs(m) : null;
}

function stampMs(m: RegExpExecArray | string[]): number | null {
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - ALIBABA_LOG_UTC_OFFSET_HOURS * 3_600_000;
  // Date.UTC rolls 2023-02-30 over to March: a stamp that is not a real time is left alone.
  const back = new Date(ms + ALIBABA_LOG_UTC_OFFSET_HOURS * 3_600_000);
  return back.getUTCDate() === d && back.getUTCHours() === h && back.getUTCMinutes() === mi ? ms : null;
}

/**
 * `text` with every Alibaba log time in it (a whole line, or a line quoted inside evidence such as
 * "SourceLog: …") converted to UTC and marked "UTC". Anything else is returned unchanged.
 */
export function logTimesInUtc(text: string): string {
  return text.replace(STAMP, (whole, ...groups: string[]) => {
    const ms = stampMs(['', ...groups.slice(0, 6)]);
    if (ms === null) return whole;
    const fraction = groups[6] ?? '';
    return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}${fraction} UTC`;
  });
}
