// `alivpn-doctor logs classify [--side gateway|peer] [--format json|text] [FILE|-]`: the cause an IKE
// log shows (stable JSON: cause, candidates, phase, evidence); exit 0, 3 when the input cannot be read.
// `alivpn-doctor logs score [--corpus DIR]`: the classifier against the recorded real-log corpus;
// exit 0 when every scenario and side is right, 1 otherwise, 3 without a corpus.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyText, type LogVerdict, type Side } from '../../diagnose/logs/classify.js';
import { defaultCorpusDir, formatScoreboard, scoreCorpus } from '../../diagnose/logs/corpus.js';
import { oneOf, parse, UsageError } from '../args.js';

const USAGE = 'logs classify [--side gateway|peer] [--format json|text] [FILE|-] | logs score [--corpus DIR]';

/** At most this much input is read (the classifier keeps the last lines anyway). */
const MAX_INPUT = 16 * 1024 * 1024;

function readInput(path: string): string {
  const buf = path === '-' ? readFileSync(0) : readFileSync(path);
  if (buf.length > MAX_INPUT) throw new Error(`more than ${MAX_INPUT} bytes`);
  if (buf.includes(0)) throw new Error('binary data, not log text');
  return buf.toString('utf8');
}

export function formatVerdict(v: LogVerdict): string {
  const lines = [
    `cause: ${v.cause ?? 'none (no failure in these lines)'}`,
    `candidates: ${v.candidates.length ? v.candidates.join(', ') : '-'}`,
    `phase: ${v.phase ?? '-'}`,
  ];
  if (v.evidence.length) lines.push('evidence:', ...v.evidence.map((e) => `  ${e.label}\n    ${e.line}`));
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'classify') {
    const { values, positionals } = parse(
      rest,
      { side: { type: 'string' }, format: { type: 'string' } },
      true,
    );
    const side = oneOf<Side>('side', values.side, ['gateway', 'peer'], 'gateway');
    const format = oneOf('format', values.format, ['json', 'text'], 'json');
    if (positionals.length > 1) throw new UsageError(`logs classify reads one FILE or - (${USAGE})`);
    const source = positionals[0] ?? '-';
    let text: string;
    try {
      text = readInput(source);
    } catch (e) {
      process.stderr.write(
        `alivpn-doctor logs classify: cannot read ${source === '-' ? 'standard input' : source}: ${(e as Error).message}\n`,
      );
      return 3;
    }
    const verdict = classifyText(text, side);
    process.stdout.write(
      format === 'json' ? `${JSON.stringify(verdict, null, 2)}\n` : formatVerdict(verdict),
    );
    return 0;
  }
  if (sub === 'score') {
    const { values } = parse(rest, { corpus: { type: 'string' } });
    const dir = resolve(values.corpus ?? defaultCorpusDir());
    let rows: ReturnType<typeof scoreCorpus>;
    try {
      rows = scoreCorpus(dir);
    } catch (e) {
      process.stderr.write(`alivpn-doctor logs score: ${(e as Error).message}\n`);
      return 3;
    }
    if (rows.length === 0) {
      process.stderr.write(`alivpn-doctor logs score: no scenarios in ${dir}\n`);
      return 3;
    }
    process.stdout.write(formatScoreboard(rows));
    return rows.every((r) => r.right) ? 0 : 1;
  }
  throw new UsageError(sub ? `unknown logs sub-command "${sub}" (${USAGE})` : USAGE);
}
