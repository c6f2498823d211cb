/**
 * The only two exception classes in the code base. Everything a user can cause is a Diagnostic;
 * these exist to unwind to the CLI's exit code.
 */

/** The problem has already been reported to the user; exit with this code. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

/** A bug in slo itself. The CLI prints it with a "please report" hint. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}
