// Builds the console into OUT (default ../build/console-www): hashed assets under
// assets/, and index.html naming them. Options:
//   --out DIR     where to write (CMake passes its binary dir's console/)
//   --tests       only bundle tests/*.test.ts into build/tests/ and run them
//                 with node's test runner (what ctest runs)
// Prints the gzipped size of the JavaScript a first load fetches, and fails
// past the budget (150 KB).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, basename } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = resolve(outAt >= 0 ? args[outAt + 1] : join(here, '..', 'build', 'console-www'));
const budgetBytes = 150 * 1024;

async function buildApp() {
  // Old hashed files go: the bot serves whatever is in the folder.
  rmSync(join(out, 'assets'), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: { app: join(here, 'src', 'main.tsx') },
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'esm',
    target: ['es2020'],
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => relative(out, resolve(p)));
  const js = outputs.find((p) => p.endsWith('.js'));
  const css = outputs.find((p) => p.endsWith('.css'));
  const template = readFileSync(join(here, 'index.html'), 'utf8');
  const html = template
    .replace('%SCRIPT%', `/console/${js}`)
    .replace('%STYLE%', `/console/${css}`);
  writeFileSync(join(out, 'index.html'), html);
  const gz = gzipSync(readFileSync(join(out, js))).length;
  const cssGz = gzipSync(readFileSync(join(out, css))).length;
  console.log(`console: ${js} ${(gz / 1024).toFixed(1)} KB gzipped (budget ${budgetBytes / 1024} KB), ${css} ${(cssGz / 1024).toFixed(1)} KB gzipped -> ${out}`);
  if (gz > budgetBytes) {
    console.error('console: the first load is over its JavaScript budget');
    process.exit(1);
  }
}

async function buildTests() {
  const dir = join(here, 'build', 'tests');
  rmSync(dir, { recursive: true, force: true });
  const tests = readdirSync(join(here, 'tests')).filter((f) => f.endsWith('.test.ts'));
  await build({
    entryPoints: tests.map((f) => join(here, 'tests', f)),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ['node18'],
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    external: ['node:*'],
    logLevel: 'warning',
  });
  console.log(`console: ${tests.length} test files -> ${relative(here, dir)}: ${tests.map((t) => basename(t)).join(', ')}`);
}

if (args.includes('--tests')) {
  await buildTests();
  const run = spawnSync(process.execPath, ['--test', join(here, 'build', 'tests')], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
await buildApp();
