// Compile benchmark: N synthetic SLOs through loading, validation and every target, in one process.
// Usage: npm run build && node bench/compile.mjs [--write] [counts...]   (default 1000 10000)
// --write: as `slo build` does, write the files (to .tmp/bench-out-<n>/) instead of counting them.
// Each size runs in a fresh child process pinned to one core where `taskset` exists, so peak RSS and
// time are per size. Prints a Markdown table for README.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[2] === '--child') {
  const dir = process.argv[3];
  const outDir = process.argv[4]; // given with --write
  (await import(path.join(root, 'dist/cli/environment.js'))).snapshotEnvironment(); // as the CLI does
  const { loadModel } = await import(path.join(root, 'dist/pipeline/load-model.js'));
  const { compileTargets, checkTargets } = await import(path.join(root, 'dist/build/compile-all.js'));
  const { compileAndWrite } = await import(path.join(root, 'dist/build/compile-and-write.js'));
  const { backends } = await import(path.join(root, 'dist/backends/registry.js'));
  const t0 = performance.now();
  const loaded = await loadModel([dir]);
  const t1 = performance.now();
  if (!loaded.model) {
    console.error(loaded.diagnostics.slice(0, 5));
    process.exit(1);
  }
  const checks = checkTargets(loaded.model, backends, {});
  // As `slo build` does: part by part, each part dropped before the next; counted, or written with --write.
  const diagnostics = [];
  const perTarget = Object.fromEntries(backends.map((b) => [b.name, 0]));
  let files = 0;
  let resources = 0;
  let bytes = 0;
  if (outDir) {
    const result = await compileAndWrite(loaded.model, backends, {}, outDir);
    diagnostics.push(...result.diagnostics);
    Object.assign(perTarget, result.summary?.perTarget);
    files = result.summary?.written ?? 0;
    resources = NaN; // not counted when writing
    bytes = sizeOf(outDir);
  } else {
    for (const part of compileTargets(loaded.model, backends, {})) {
      diagnostics.push(...part.diagnostics);
      resources += part.resources.length;
      for (const f of part.files) {
        files++;
        bytes += f.content.length;
        perTarget[f.path.split('/', 1)[0]]++;
      }
    }
  }
  const t2 = performance.now();
  console.log(
    JSON.stringify({
      loadValidateMs: Math.round(t1 - t0),
      compileMs: Math.round(t2 - t1),
      totalMs: Math.round(t2 - t0),
      files,
      resources,
      outputMiB: +(bytes / 2 ** 20).toFixed(1),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      errors: [...loaded.diagnostics, ...checks, ...diagnostics].filter((d) => d.severity === 'error').length,
      perTarget,
    }),
  );
  process.exit(0);
}

/** Bytes of the files under dir. */
function sizeOf(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(path.join(e.parentPath ?? e.path, e.name)).size;
  return n;
}

const write = process.argv.includes('--write');
const counts = process.argv.slice(2).map(Number).filter(Boolean);
const sizes = counts.length ? counts : [1000, 10000];
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
console.log(`node ${process.version}, ${hasTaskset ? 'pinned to one core (taskset -c 0)' : 'not pinned'}`);
console.log(`| SLOs | services | load + validate | ${write ? 'compile and write' : 'compile'} (all targets) | total | peak RSS | files | output |`);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const n of sizes) {
  const dir = path.join(root, '.tmp', `bench-${n}`);
  const { services } = generate(n, dir);
  const child = [fileURLToPath(import.meta.url), '--child', dir, ...(write ? [path.join(root, '.tmp', `bench-out-${n}`)] : [])];
  const cmd = hasTaskset ? ['taskset', ['-c', '0', process.execPath, ...child]] : [process.execPath, child];
  const r = JSON.parse(execFileSync(cmd[0], cmd[1], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  console.log(`| ${n} | ${services} | ${r.loadValidateMs} ms | ${r.compileMs} ms | ${r.totalMs} ms | ${r.peakRssMiB} MiB | ${r.files} | ${r.outputMiB} MiB |`);
  if (r.errors) console.log(`(${r.errors} errors — the generator is out of date)`);
}
