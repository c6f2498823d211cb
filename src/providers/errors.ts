/**
 * What providers report when a remote call fails. HTTP status codes are mapped here, at the edge: the
 * engine only knows NotFound (already gone: fine for a delete), Conflict (someone else changed it) and
 * ProviderError (anything else, with a message safe to print). These are caught by plan/apply and turned
 * into diagnostics or `failed` events; they never reach the CLI.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** 404: the object does not exist (any more). */
export class NotFound extends ProviderError {
  constructor(message: string) {
    super(message, 404);
    this.name = 'NotFound';
  }
}

/** 409/412, or an object in the way that slo does not own. */
export class Conflict extends ProviderError {
  constructor(message: string, status?: number) {
    super(message, status);
    this.name = 'Conflict';
  }
}

/** The message of anything a provider threw, for events and diagnostics. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
