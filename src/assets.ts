/**
 * Files that ship with the package (schemas, window catalogues, SLI templates, dashboard layouts).
 * Resolved from the package root so that the same code works from `src/` under vitest and from `dist/`.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

export function assetPath(...segments: string[]): string {
  return path.join(PACKAGE_ROOT, ...segments);
}
