// `npm test`: type check, unit tests (Vitest, Node), production build, end-to-end tests (Playwright,
// Chromium, against the build served locally). Ends with one line "N passed, N failed, N skipped"
// counting unit and end-to-end tests together, and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { findBrowser } from './find-browser.mjs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const steps = [];

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

mkdirSync('test-results', { recursive: true });
for (const file of ['test-results/unit.json', 'test-results/e2e.json']) rmSync(file, { force: true });

// 1. Type check. A type error is one failure: the code is not what it claims to be.
console.log('\n== type check ==');
const typesOk = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
steps.push(['type check', typesOk ? 'ok' : 'FAILED']);
if (!typesOk) totals.failed += 1;

// 2. Unit tests.
console.log('\n== unit tests (Vitest) ==');
run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/unit.json']);
const unit = readJson('test-results/unit.json');
if (unit) {
  const loadFailures = (unit.testResults ?? []).filter(
    (file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0,
  ).length;
  totals.passed += unit.numPassedTests;
  totals.failed += unit.numFailedTests + loadFailures;
  totals.skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
  steps.push([
    'unit tests',
    `${unit.numPassedTests} passed, ${unit.numFailedTests + loadFailures} failed, ${unit.numPendingTests ?? 0} skipped`,
  ]);
} else {
  totals.failed += 1;
  steps.push(['unit tests', 'FAILED to run']);
}

// 3. Production build, then 4. end-to-end tests against it.
console.log('\n== production build ==');
const buildOk = run('npm', ['run', '-s', 'build']);
steps.push(['build', buildOk ? 'ok' : 'FAILED']);
if (!buildOk) {
  totals.failed += 1;
} else {
  console.log('\n== end-to-end tests (Playwright, Chromium) ==');
  let browser;
  try {
    browser = await findBrowser();
  } catch (error) {
    console.error(error.message);
  }
  if (!browser) {
    totals.failed += 1;
    steps.push(['end-to-end tests', 'no browser']);
  } else {
    run('npx', ['playwright', 'test'], { SLICEPORT_BROWSER: browser });
    const e2e = readJson('test-results/e2e.json');
    if (e2e?.stats) {
      const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = e2e.stats;
      const loadErrors = (e2e.errors ?? []).length;
      totals.passed += expected + flaky;
      totals.failed += unexpected + loadErrors;
      totals.skipped += skipped;
      steps.push(['end-to-end tests', `${expected + flaky} passed, ${unexpected + loadErrors} failed, ${skipped} skipped`]);
    } else {
      totals.failed += 1;
      steps.push(['end-to-end tests', 'FAILED to run']);
    }
  }
}

console.log('\n== summary ==');
for (const [name, outcome] of steps) console.log(`${name.padEnd(18)} ${outcome}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
