// The error a call rejects with, for tests that assert on an SDK or API error's fields; a call that
// succeeds fails the test.
export async function failure<E = Record<string, unknown> & Error>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (e) {
    return e as E;
  }
  throw new Error('expected the call to fail');
}
