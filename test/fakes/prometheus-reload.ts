/**
 * Prometheus' reload endpoint alone, for the rules-directory provider's unit tests: a real HTTP server on
 * 127.0.0.1 that answers `POST /-/reload` with the status it is told (200, or 500 with Prometheus' error
 * text, as for a rule it rejects) and counts the requests. With `hold`, each reload waits until the test
 * `release`s it, so that tests can interleave two applies step by step. Also a URL on a port nothing
 * listens on, for "Prometheus is down". The end-to-end behaviour is tested against the real Prometheus (prometheus.ts).
 */
import { createServer, type Server } from 'node:http';
import { freePort } from './prometheus.js';

export interface ReloadEndpoint {
  readonly url: string;
  /** POSTs received, answered or not. */
  readonly reloads: number;
  /** What the next reloads answer; 200 by default. */
  status: number;
  /** While true, each reload waits for `release()`; otherwise it is answered at once. */
  hold: boolean;
  /** Resolves when a held reload is waiting. */
  arrived(): Promise<void>;
  /** Answers the oldest held reload. */
  release(): void;
  stop(): Promise<void>;
}

export async function startReloadEndpoint(): Promise<ReloadEndpoint> {
  let reloads = 0;
  const state = { status: 200, hold: false };
  const waiting: (() => void)[] = [];
  let onArrival: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/-/reload') {
      res.writeHead(404).end('not found');
      return;
    }
    reloads++;
    const answer = () => {
      if (state.status === 200) res.writeHead(200).end();
      else res.writeHead(state.status).end('failed to reload config: one or more errors occurred while applying the new configuration');
    };
    if (!state.hold) return answer();
    waiting.push(answer);
    onArrival?.();
    onArrival = undefined;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/-/reload`,
    get reloads() {
      return reloads;
    },
    get status() {
      return state.status;
    },
    set status(s: number) {
      state.status = s;
    },
    get hold() {
      return state.hold;
    },
    set hold(h: boolean) {
      state.hold = h;
    },
    arrived: () => (waiting.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => (onArrival = resolve))),
    release: () => waiting.shift()?.(),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A reload URL nothing answers: connections are refused. */
export async function closedReloadUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/-/reload`;
}
