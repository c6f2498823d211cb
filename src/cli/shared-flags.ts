/** Pieces of flag definitions used by main.ts and register-*.ts. Light: loaded before any command runs. */
import { InvalidArgumentError } from 'commander';

/**
 * Accumulates a repeatable flag. No `[]` default on the option (commander would print it as
 * `(default: [])`): the flag is undefined until given.
 */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The default is applied, and given folders are checked, by load-specs.ts. */
export const TEMPLATES_HELP = 'directory of team SLI templates (repeatable; default: ./sli-templates when present)';

/** Commander would print a `[]` default as `(default: [])`; the real default is said in the text instead. */
export const SPEC_PATHS_HELP = 'spec files or directories (default: slos/)';

/**
 * Parser of a flag naming a path slo writes to (`--out`, `--dir`, `--keep`). An empty value is refused:
 * path functions read "" as the current folder, so `--out ""` would write there without a word (or, for
 * a flag whose value is optional, be taken as not given).
 */
export function pathFlag(example: string): (value: string) => string {
  return (value) => {
    if (value === '') throw new InvalidArgumentError(`an empty path names nothing; give one, such as ${example}`);
    return value;
  };
}
