// The console end to end, in a real browser: Debian's chromium, headless,
// driven by playwright-core, against the real bot, redis-server and
// wechat-sim serve (see stack.mjs). Every page is screenshotted into
// --shots (default ../build/console-screenshots) and checked with axe-core
// (no serious or critical violation). Any failure exits 1.
//   node e2e/run.mjs [--build DIR] [--shots DIR]
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { adminApi, startStack, studentSays } from './stack.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const source = resolve(here, '..', '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? resolve(args[args.indexOf(name) + 1]) : fallback);
const build = opt('--build', join(source, 'build'));
const shots = opt('--shots', join(build, 'console-screenshots'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const chromiumPath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));

let currentPage = null; // screenshotted when a step fails
let passed = 0;
let failed = 0;
const results = [];
async function step(name, fn) {
  try {
    await fn();
    passed++;
    results.push(`ok ${passed + failed} - ${name}`);
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    results.push(`not ok ${passed + failed} - ${name}`);
    console.log(`not ok - ${name}\n${e.stack ?? e}`);
    if (currentPage) await currentPage.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
    throw e;
  }
}

let shotNumber = 0;
async function look(page, name) {
  shotNumber++;
  const file = join(shots, `${String(shotNumber).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `axe on ${name}: ${JSON.stringify(bad)}`);
}

async function simMessages(stack) {
  const r = await fetch(`http://127.0.0.1:${stack.simPort}/sim/messages`);
  return JSON.parse(await r.text());
}

rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
const paths = { build, source };
const stack = await startStack(paths);
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
const cspErrors = [];
try {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  currentPage = page;
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
  page.setDefaultTimeout(15000);
  const url = (p) => stack.base + p;

  await step('accounts are made with the operator token; students write to the bot', async () => {
    assert.equal((await adminApi(stack, 'POST', '/api/v1/users', { name: 'stella', role: 'staff', password: 'stella-password-1' })).status, 201);
    assert.equal((await adminApi(stack, 'POST', '/api/v1/users', { name: 'ada', role: 'admin', password: 'ada-password-123' })).status, 201);
    studentSays(stack, paths, 'stu_en1', 'JSNU');
    studentSays(stack, paths, 'stu_en2', 'JSNU');
    studentSays(stack, paths, 'stu_zh1', '江苏师范大学');
    studentSays(stack, paths, 'stu_cq', 'CQUPT');
    studentSays(stack, paths, 'stu_refuses', 'JSNU');
    // This one has refused the account's messages (43101): the broadcast fails for them, with a reason.
    const failing = await fetch(`http://127.0.0.1:${stack.simPort}/sim/fail`, {
      method: 'POST',
      body: JSON.stringify({ openid: 'stu_refuses', errcode: 43101, times: 10 }),
    });
    assert.equal(failing.status, 200);
  });

  await step('the sign-in page, in English for an English browser', async () => {
    await page.goto(url('/console/'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await look(page, 'sign-in');
  });

  await step('sign in with the keyboard alone', async () => {
    await page.keyboard.type('stella'); // the name field has the focus
    await page.keyboard.press('Tab');
    await page.keyboard.type('stella-password-1');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });

  await step('the dashboard shows the messages the students sent', async () => {
    // 5 students wrote once each: 4 at JSNU, 1 at CQUPT. The figures reach
    // Redis within a second; the page reads them every 10 s.
    await page.getByTestId('messages-today').filter({ hasText: /^5$/ }).waitFor({ timeout: 25000 });
    assert.equal(await page.getByTestId('messages-today').textContent(), '5');
    assert.equal(await page.getByTestId('active-7d').textContent(), '5');
    const perUniversity = await page.getByTestId('active-per-university').locator('table').innerText();
    assert.match(perUniversity, /Jiangsu Normal University\s+4/);
    assert.match(perUniversity, /Chongqing University of Posts and Telecommunications\s+1/);
    await look(page, 'dashboard');
    await page.getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByRole('heading', { name: 'Broadcasts' }).waitFor();
    await page.getByText('No broadcasts yet.').waitFor();
    await look(page, 'broadcasts-empty');
  });

  await step('a change without the CSRF token is refused with 403 and sends nothing', async () => {
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/v1/broadcasts', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ audience: { all: true }, text: { en: 'x', zh: 'x' } }),
      });
      return r.status;
    });
    assert.equal(status, 403);
    const list = await page.evaluate(async () => (await fetch('/api/v1/broadcasts')).json());
    assert.equal(list.broadcasts.length, 0);
  });

  let broadcastId = '';
  await step('compose a broadcast to JSNU, see the live count and the preview, confirm, send', async () => {
    await page.getByRole('link', { name: 'New broadcast' }).click();
    await page.getByRole('heading', { name: 'New broadcast' }).waitFor();
    await page.getByLabel('English text').fill('The immigration office is closed on Friday.');
    await page.getByLabel('Chinese text').fill('出入境办公室周五不办公。');
    await page.getByLabel('University').selectOption('jsnu');
    await page.getByTestId('audience-count').getByText('Reaches 4 students').waitFor();
    await page.locator('.wechat-bubble', { hasText: '出入境办公室周五不办公。' }).waitFor();
    await look(page, 'compose');
    await page.getByRole('button', { name: 'Review and send' }).click();
    await page.getByRole('heading', { name: 'Send this broadcast?' }).waitFor();
    await page.getByText('It goes to 4 students now.').waitFor();
    await look(page, 'compose-confirm');
    await page.getByRole('button', { name: 'Send to 4 students' }).click();
    await page.getByRole('heading', { name: /^Broadcast \d+$/ }).waitFor();
    broadcastId = /broadcasts\/(\d+)/.exec(page.url())[1];
  });

  await step('the detail page follows the progress to 100 %, lists the failure, and each student got it once in their language', async () => {
    await page.getByTestId('broadcast-state').getByText('Done').waitFor({ timeout: 30000 });
    await page.getByText('100%').first().waitFor();
    await page.getByRole('table').getByText('stu_refuses').waitFor();
    await look(page, 'broadcast-detail');
    const sent = (await simMessages(stack)).messages ?? (await simMessages(stack));
    const mine = (openid) => sent.filter((m) => JSON.stringify(m).includes(openid) && /Friday|周五/.test(JSON.stringify(m)));
    assert.equal(mine('stu_en1').length, 1, JSON.stringify(sent));
    assert.equal(mine('stu_en2').length, 1);
    assert.equal(mine('stu_zh1').length, 1);
    assert.match(JSON.stringify(mine('stu_en1')[0]), /closed on Friday/);
    assert.match(JSON.stringify(mine('stu_zh1')[0]), /周五不办公/);
    assert.equal(mine('stu_cq').length, 0, 'not in the audience');
  });

  await step('a scheduled broadcast can be cancelled', async () => {
    await page.goto(url('/console/broadcasts/new'));
    await page.getByLabel('English text').fill('Reminder: bring your passport photo.');
    await page.getByLabel('Chinese text').fill('提醒：请带上护照照片。');
    await page.getByLabel('Every student').check();
    await page.getByTestId('audience-count').getByText('Reaches 5 students').waitFor();
    await page.getByLabel('Schedule').check();
    const later = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    const local = new Date(later.getTime() - later.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    await page.getByLabel('Send at (your local time)').fill(local);
    await page.getByRole('button', { name: 'Review and send' }).click();
    await page.getByRole('button', { name: 'Schedule' , exact: true }).click();
    await page.getByTestId('broadcast-state').getByText('Scheduled').waitFor();
    await page.getByRole('button', { name: 'Cancel this broadcast' }).click();
    await look(page, 'broadcast-cancel-confirm');
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByTestId('broadcast-state').getByText('Cancelled').waitFor();
    await page.getByText('The broadcast was cancelled.').waitFor();
    await look(page, 'broadcast-cancelled');
    // Cancelled where it is kept, not only on the page: due in 3 days, it
    // could not have been sent yet either way.
    const cancelledId = /broadcasts\/(\d+)/.exec(page.url())[1];
    const stored = await adminApi(stack, 'GET', `/api/v1/broadcasts/${cancelledId}`);
    assert.equal(stored.status, 200, stored.body);
    assert.equal(JSON.parse(stored.body).status, 'cancelled', stored.body);
    const sent = await simMessages(stack);
    assert.doesNotMatch(JSON.stringify(sent), /passport photo|护照照片/);
  });

  await step('the list shows both broadcasts', async () => {
    await page.getByRole('link', { name: 'All broadcasts' }).click();
    await page.getByRole('table').getByText('Reminder: bring your passport photo.').waitFor();
    await page.getByRole('table').getByText('The immigration office is closed on Friday.').waitFor();
    await look(page, 'broadcasts-list');
  });

  await step('the language switch turns the console Chinese, and is remembered', async () => {
    await page.getByRole('button', { name: '中文 (switch the language to Chinese)' }).click();
    await page.getByRole('heading', { name: '群发消息' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '群发消息' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await look(page, 'broadcasts-zh');
    await page.goto(url(`/console/broadcasts/${broadcastId}`));
    await page.getByRole('heading', { name: `群发 ${broadcastId}` }).waitFor();
    await look(page, 'broadcast-detail-zh');
    await page.getByRole('link', { name: '数据概览' }).click();
    await page.getByRole('heading', { name: '数据概览' }).waitFor();
    await page.getByTestId('messages-today').waitFor();
    await page.getByRole('heading', { name: '办理流程：学生目前所在的步骤' }).waitFor();
    await look(page, 'dashboard-zh');
  });

  await step('sign out', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByText('您已退出登录。').waitFor();
    await look(page, 'signed-out-zh');
    const me = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
    assert.equal(me, 401);
    await page.getByRole('button', { name: 'English（将语言切换为英文）' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  await step('an admin adds and disables an account', async () => {
    await page.getByLabel('Name').fill('ada');
    await page.getByLabel('Password').fill('ada-password-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('wei');
    await page.getByLabel('Password (at least 10 characters)').fill('short');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('The password needs at least 10 characters.').waitFor();
    await page.getByLabel('Password (at least 10 characters)').fill('wei-password-42');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Account wei added.').waitFor();
    await page.getByRole('button', { name: 'Disable wei' }).click();
    await page.getByRole('button', { name: 'Enable wei' }).waitFor();
    await look(page, 'accounts');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  await step('a wrong password is refused; after 5 failures the account is locked, even for the right password', async () => {
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel('Name').fill('stella');
      await page.getByLabel('Password').fill(`wrong-password-${i}`);
      // This attempt's own answer, not the alert the last one left.
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      assert.equal(answer.status(), 401);
      await page.getByRole('alert').getByText('The name or the password is wrong.').waitFor();
      if (i === 1) await look(page, 'sign-in-wrong-password');
    }
    await page.getByLabel('Name').fill('stella');
    await page.getByLabel('Password').fill('stella-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText(/Too many failed attempts\. Try again in 1[45] minutes\./).waitFor();
    await look(page, 'sign-in-locked');
  });

  await step('a browser that asks for Chinese gets the console in Chinese', async () => {
    const zhContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    const zhPage = await zhContext.newPage();
    await zhPage.goto(url('/console/'));
    await zhPage.getByRole('heading', { name: '登录' }).waitFor();
    assert.equal(await zhPage.evaluate(() => document.documentElement.lang), 'zh-CN');
    await look(zhPage, 'sign-in-zh-browser');
    await zhContext.close();
  });

  await step('no page broke the Content-Security-Policy', async () => {
    assert.deepEqual(cspErrors, []);
  });
} catch (e) {
  console.log(stack.logs());
} finally {
  await browser.close();
  await stack.stop();
}
console.log(`# screenshots in ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || passed === 0 ? 1 : 0);
