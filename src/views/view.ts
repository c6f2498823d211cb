/**
 * The only code that writes to stdout and stderr. Commands hand results to views; views decide on
 * format and colour. Tests capture output by passing their own streams.
 */
export interface Streams {
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly err: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

export function processStreams(): Streams {
  return { out: process.stdout, err: process.stderr, env: process.env };
}

export class View {
  constructor(readonly streams: Streams = processStreams()) {}

  out(text: string): void {
    this.streams.out.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  err(text: string): void {
    this.streams.err.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  get isCI(): boolean {
    return this.streams.env['CI'] === 'true' || this.streams.env['GITHUB_ACTIONS'] === 'true';
  }

  get isGitHubActions(): boolean {
    return this.streams.env['GITHUB_ACTIONS'] === 'true';
  }
}
