// A web-test-runner reporter that prints one closing count line over every group and file,
// which scripts/test.mjs reads: "browser tests: N passed, N failed, N skipped". Before it, a block
// "browser failures:" names each failed test with its error, one line each, for scripts/test.mjs
// to repeat at the end of the whole run.
import { relative } from 'node:path';

function countTests(suite, counts, failures, file, path = []) {
  const names = suite?.name ? [...path, suite.name] : path;
  for (const test of suite?.tests ?? []) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else {
      counts.failed++;
      failures.push(`${file}: ${[...names, test.name].join(' > ')}: ${oneLine(test.error?.message)}`);
    }
  }
  for (const child of suite?.suites ?? []) countTests(child, counts, failures, file, names);
}

const oneLine = (text) => String(text ?? 'failed').replace(/\s+/g, ' ').slice(0, 400);

export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      const failures = [];
      for (const session of sessions) {
        const file = relative(process.cwd(), session.testFile);
        countTests(session.testResults, counts, failures, file);
        // A file that failed to load or run counts as one failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) {
          counts.failed++;
          failures.push(`${file}: ${oneLine(session.errors.map((error) => error.message).join('; '))}`);
        }
      }
      if (failures.length > 0) console.log(`browser failures:\n${failures.map((line) => `  ${line}`).join('\n')}`);
      console.log(`browser tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    },
  };
}
