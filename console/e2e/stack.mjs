// Starts what the browser test runs against, all real: a redis-server, the
// platform's stand-in (wechat-sim serve) and the bot, each on a free
// loopback port, and stops them again.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ADMIN_TOKEN = 'e2e-admin-token';
const SIM_SECRET = 'simsecret';

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Resolves with the first match of `pattern` in all the child has printed
// so far (or prints later).
function waitForLine(child, pattern, what) {
  return new Promise((ok, fail) => {
    const check = () => {
      const m = pattern.exec(child.printed);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        ok(m);
      }
      return m;
    };
    const timer = setTimeout(() => fail(new Error(`${what} did not start: ${child.printed}`)), 20000);
    if (check()) return;
    child.stdout.on('data', check);
    child.once('exit', (code) => fail(new Error(`${what} exited (${code}): ${child.printed}`)));
  });
}

export async function startStack({ build, source }) {
  const dir = mkdtempSync(join(tmpdir(), 'console-e2e-'));
  const children = [];
  const logs = [];
  const start = (cmd, args, name) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.printed = '';
    child.stdout.on('data', (c) => (child.printed += c.toString()));
    let err = '';
    child.stderr.on('data', (c) => (err += c.toString()));
    children.push(child);
    logs.push(() => `--- ${name} stderr ---\n${err.slice(-4000)}`);
    return child;
  };

  const redisPort = await freePort();
  const redis = start('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], 'redis');
  await waitForLine(redis, /Ready to accept connections/, 'redis-server');

  const sim = start(join(build, 'wechat-sim'), ['serve', '--secret', SIM_SECRET, '--appid', 'wxpermitbotdev0001', '--listen', '127.0.0.1:0'], 'wechat-sim');
  const simPort = Number((await waitForLine(sim, /listening on [\d.]+:(\d+)/, 'wechat-sim'))[1]);

  // The shipped config, with an admin token (to make the test's accounts
  // the way an operator does) and the scripts' absolute path.
  const config = JSON.parse(readFileSync(join(source, 'config', 'permit-bot.json'), 'utf8'));
  config.scripts = resolve(source, 'dialogs', 'scripts');
  config.api_tokens = [{ name: 'operator', role: 'admin', sha256: createHash('sha256').update(ADMIN_TOKEN).digest('hex') }];
  config.outbound_rate_per_second = 200;
  const configPath = join(dir, 'permit-bot.json');
  writeFileSync(configPath, JSON.stringify(config));
  const bot = start(join(build, 'permit-bot'), [
    '--config', configPath,
    '--listen', '127.0.0.1:0',
    '--admin-listen', '127.0.0.1:0',
    '--redis', `redis://127.0.0.1:${redisPort}/0`,
    '--wechat-secret', SIM_SECRET,
    '--wechat-api-base', `http://127.0.0.1:${simPort}`,
  ], 'permit-bot');
  const admin = await waitForLine(bot, /admin api on [\d.]+:(\d+)/, 'permit-bot');
  const listen = await waitForLine(bot, /listening on [\d.]+:(\d+)/, 'permit-bot');
  const stack = {
    dir,
    configPath,
    redisPort,
    simPort,
    botPort: Number(listen[1]),
    adminPort: Number(admin[1]),
    base: `http://127.0.0.1:${admin[1]}`,
    logs: () => logs.map((l) => l()).join('\n'),
    async stop() {
      for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((ok) => c.once('exit', ok)) : null)));
    },
  };
  // Wait until Redis is read (the bot answers /readyz).
  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    ready = await fetch(`http://127.0.0.1:${stack.botPort}/readyz`).then((r) => r.ok, () => false);
    if (!ready) await new Promise((ok) => setTimeout(ok, 100));
  }
  if (!ready) {
    await stack.stop();
    throw new Error(`the bot never became ready (/readyz):\n${stack.logs()}`);
  }
  return stack;
}

// A student writes to the bot, through the platform's stand-in (which opens
// their 48-hour window as the platform does).
export function studentSays(stack, { build, source }, openid, text) {
  const r = spawnSync(join(build, 'wechat-sim'), [
    'send', '--config', stack.configPath, '--bot', `127.0.0.1:${stack.botPort}`,
    '--api', `127.0.0.1:${stack.simPort}`, '--openid', openid, text,
  ], { encoding: 'utf8', cwd: source });
  if (r.status !== 0) throw new Error(`wechat-sim send failed: ${r.stdout} ${r.stderr}`);
  return r.stdout;
}

export async function adminApi(stack, method, path, body) {
  const r = await fetch(stack.base + path, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.text() };
}
