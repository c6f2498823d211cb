/** Pieces of flag definitions used by main.ts and register-*.ts. Light: loaded before any command runs. */

/**
 * Accumulates a repeatable flag. No `[]` default on the option (commander would print it as
 * `(default: [])`): the flag is undefined until given.
 */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The default is applied, and given folders are checked, by load-specs.ts. */
export const TEMPLATES_HELP = 'directory of team SLI templates (repeatable; default: ./sli-templates when present)';

/** Commander would print a `[]` default as `(default: [])`; the real default is said in the text instead. */
export const SPEC_PATHS_HELP = 'spec files or directories (default: slos/)';
