// Prints one closing line, "jest: N passed, N failed, N skipped", after everything jest prints
// (its summary comes from a reporter that runs after this one), so that CI can count the tests.
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryLineReporter;
