// The unsigned control API under /_sim/: the transport owns `faults` and `calls`; every other path
// belongs to the world (incidents, recovery, clock…).
import type { SimBackend } from '../protocol.js';
import type { CallLog } from './call-log.js';
import { parseFaultRules } from './fault-schema.js';
import type { FaultEngine } from './faults.js';

export interface ControlReply {
  status: number;
  body: unknown;
}

export interface ControlDeps {
  faults: FaultEngine;
  calls: CallLog;
  backend: SimBackend;
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  if (raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch (e) {
    return { ok: false, error: `request body is not valid JSON: ${(e as Error).message}` };
  }
}

function faultsReply(deps: ControlDeps): ControlReply {
  return { status: 200, body: { faults: deps.faults.list(), scenario: deps.backend.faults() } };
}

function controlFaults(method: string, body: unknown, deps: ControlDeps): ControlReply {
  switch (method) {
    case 'GET':
      return faultsReply(deps);
    case 'DELETE':
      deps.faults.set([]);
      return faultsReply(deps);
    case 'PUT':
    case 'POST': {
      const payload = body !== null && typeof body === 'object' && 'faults' in body ? body.faults : body;
      let rules: ReturnType<typeof parseFaultRules>;
      try {
        rules = parseFaultRules(payload);
      } catch (e) {
        return { status: 400, body: { error: (e as Error).message } };
      }
      if (method === 'PUT') deps.faults.set(rules);
      else deps.faults.append(rules);
      return faultsReply(deps);
    }
    default:
      return {
        status: 405,
        body: { error: `${method} is not supported on /_sim/faults (GET, PUT, POST, DELETE)` },
      };
  }
}

function controlCalls(method: string, deps: ControlDeps): ControlReply {
  if (method === 'GET') return { status: 200, body: { calls: deps.calls.list() } };
  if (method === 'DELETE') {
    deps.calls.reset();
    return { status: 200, body: { calls: [] } };
  }
  return { status: 405, body: { error: `${method} is not supported on /_sim/calls (GET, DELETE)` } };
}

/** Answers one control request; `subpath` is the path after `/_sim/`, without the query string. */
export async function handleControl(
  method: string,
  subpath: string,
  rawBody: Buffer,
  deps: ControlDeps,
): Promise<ControlReply> {
  const parsed = parseJson(rawBody);
  if (!parsed.ok) return { status: 400, body: { error: parsed.error } };
  if (subpath === 'faults') return controlFaults(method, parsed.value, deps);
  if (subpath === 'calls') return controlCalls(method, deps);
  try {
    return await deps.backend.control(method, subpath, parsed.value);
  } catch (e) {
    return {
      status: 500,
      body: { error: `control ${method} /_sim/${subpath} failed: ${(e as Error).message}` },
    };
  }
}
