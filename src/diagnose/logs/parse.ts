// Reads IKE log lines in every form users paste, down to charon's (or the gateway's) message:
//   Alibaba DescribeVpnConnectionLogs:  2023-01-13 11:39:21 vco-… [PROTO_ERR]: ikev1.c:1433:f(): msg
//   charon file log:                    Dec  6 01:50:00 09[IKE] <conn|1> msg   (time optional)
//   syslog / journal:                   Dec  6 01:50:00 host charon[812]: 09[IKE] <conn|1> msg
//   swanctl --log:                      09[IKE] msg
// Anything else is kept whole as the message (a line a user trimmed by hand still classifies).

export type LineForm = 'alibaba' | 'charon' | 'plain';

export interface LogLine {
  /** The line as given (trimmed, capped). */
  raw: string;
  /** The message alone. */
  text: string;
  /** `text` lower-cased, for matching. */
  lower: string;
  form: LineForm;
  /** charon's log group (IKE, CFG, KNL, NET, ENC, …) when the line names it. */
  group?: string;
  /** charon's IKE_SA name and unique id (`conn|1`) when the line names it. */
  ikeSa?: string;
}

export const MAX_LINES = 5000;
export const MAX_LINE_LENGTH = 2000;

// Bounded, anchored patterns: no nested quantifiers, so hostile input stays linear.
const ALIBABA =
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?\s+vco-[\w*]{1,40}\s+\[[A-Z_]{1,20}\]:\s?(.*)$/;
const SOURCE_PREFIX = /^[\w.-]{1,60}\.c:\d{1,6}(?::\w{1,80})?\(\):\s?/;
// `09[IKE]` and an optional ` <conn|1>` / ` <1>` after it; the thread number is 2+ digits.
const CHARON = /(?:^|\s)\d{2,3}\[([A-Z]{2,4}\d?)\]\s(?:<([^>\s]{1,100})>\s)?(.*)$/;

export function parseLine(input: string): LogLine | null {
  const raw = input.replace(/\r$/, '').trim().slice(0, MAX_LINE_LENGTH);
  if (!raw) return null;
  const ali = ALIBABA.exec(raw);
  if (ali) {
    let text = (ali[1] ?? '').replace(SOURCE_PREFIX, '');
    // strongSwan-style gateway lines may keep charon's own prefix inside the message.
    const inner = CHARON.exec(text);
    const group = inner?.[1];
    if (inner) text = inner[3] ?? '';
    return {
      raw,
      text,
      lower: text.toLowerCase(),
      form: 'alibaba',
      ...(group ? { group } : {}),
      ...(inner?.[2] ? { ikeSa: inner[2] } : {}),
    };
  }
  const ch = CHARON.exec(raw);
  if (ch) {
    const text = ch[3] ?? '';
    return {
      raw,
      text,
      lower: text.toLowerCase(),
      form: 'charon',
      group: ch[1] ?? '',
      ...(ch[2] ? { ikeSa: ch[2] } : {}),
    };
  }
  return { raw, text: raw, lower: raw.toLowerCase(), form: 'plain' };
}

/** Every non-empty line of `text` (the last MAX_LINES), parsed. */
export function parseLog(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const l of text.split('\n').slice(-MAX_LINES)) {
    const p = parseLine(l);
    if (p) out.push(p);
  }
  return out;
}
