import { isPagelabError, type PagelabErrorCode } from '@pagelab/contracts';

/**
 * Fails unless `thrown` is a pagelab error with `code`. Errors are told apart by their brand and
 * code, never by `instanceof`: a lab's part may be built against another copy of the contracts.
 */
export function expectErrorCode(thrown: unknown, code: PagelabErrorCode, what = 'the call'): void {
  if (isPagelabError(thrown, code)) return;
  const got = (thrown as { code?: unknown } | null)?.code;
  const shown = thrown instanceof Error ? `${thrown.name}${typeof got === 'string' ? ` (${got})` : ''}: ${thrown.message}` : String(thrown);
  throw new Error(`${what}: expected a pagelab error with code ${code}, got ${shown}`);
}

/** Runs `action` and fails unless it throws a pagelab error with `code`; returns the error. */
export function expectThrowsCode(action: () => unknown, code: PagelabErrorCode, what = 'the call'): unknown {
  try {
    action();
  } catch (thrown) {
    expectErrorCode(thrown, code, what);
    return thrown;
  }
  throw new Error(`${what}: expected a pagelab error with code ${code}, but it returned`);
}
