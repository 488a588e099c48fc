// Installs the console's npm packages (npm ci) when node_modules is missing
// or older than package-lock.json; otherwise does nothing. CMake runs it
// before every console build, so a fresh clone builds with one command.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const installed = join(here, 'node_modules', '.package-lock.json');
const lock = join(here, 'package-lock.json');
if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) process.exit(0);
console.log('console: npm ci');
execSync('npm ci --no-audit --no-fund', { cwd: here, stdio: 'inherit' });
