/** The one table of exit codes, shared by every command. */
export const EXIT = {
  ok: 0,
  /** Invalid input, failed command, or an error reported as a diagnostic. */
  error: 1,
  /** `--detailed-exitcode`: the command succeeded and there are changes (plan) or findings (report gate). */
  changes: 2,
  /** A bug in slo. */
  internal: 70,
} as const;
