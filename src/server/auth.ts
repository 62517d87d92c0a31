// Optional bearer token guarding /api and the HTML report: how a request proves it has the token.
// Which routes need it is not decided here but by where they are registered (gate.ts). Browsers
// sign in once through a form; the cookie holds an HMAC of the token under a per-process key, never
// the token itself.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'alivpn_session';

/** Constant-time comparison; hashing first makes the lengths equal. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface Authenticator {
  enabled: boolean;
  /** true when the request carries the bearer token or a valid session cookie. */
  check(req: FastifyRequest): boolean;
  /** The session cookie value for a correct token, or null. */
  sessionFor(token: string): string | null;
}

export function authenticator(token: string | undefined): Authenticator {
  if (!token) return { enabled: false, check: () => true, sessionFor: () => null };
  const key = randomBytes(32);
  const session = createHmac('sha256', key).update(token).digest('base64url');
  return {
    enabled: true,
    check(req) {
      const header = req.headers.authorization;
      if (header?.startsWith('Bearer ') && secretsEqual(header.slice(7).trim(), token)) return true;
      const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
      return cookie !== null && secretsEqual(cookie, session);
    },
    sessionFor(given) {
      return secretsEqual(given, token) ? session : null;
    },
  };
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(value: string): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict`;
}

export function unauthorizedJson(reply: FastifyReply): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer realm="alivpn-doctor"')
    .send({ statusCode: 401, error: 'Unauthorized', message: 'missing or invalid bearer token' });
}
