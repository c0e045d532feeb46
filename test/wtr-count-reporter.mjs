// A web-test-runner reporter that prints one closing count line over every group and file,
// which scripts/test.mjs reads: "browser tests: N passed, N failed, N skipped".
function countTests(suite, counts) {
  for (const test of suite?.tests ?? []) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const child of suite?.suites ?? []) countTests(child, counts);
}

export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        countTests(session.testResults, counts);
        // A file that failed to load or run counts as one failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) counts.failed++;
      }
      console.log(`browser tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    },
  };
}
