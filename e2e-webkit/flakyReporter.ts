import type { Reporter, TestCase } from 'vitest/node';

/**
 * Names every test that passed only on its retry, at the end of the run, as Playwright's "flaky"
 * line does: a retry must not hide that a test failed once.
 */
export default class FlakyReporter implements Reporter {
  readonly #flaky: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const diagnostic = testCase.diagnostic();
    if (testCase.result().state === 'passed' && diagnostic && diagnostic.retryCount > 0) {
      this.#flaky.push(`${testCase.module.moduleId.split('/').pop() ?? ''} › ${testCase.fullName} (passed on retry ${diagnostic.retryCount})`);
    }
  }

  onTestRunEnd(): void {
    if (this.#flaky.length === 0) return;
    console.log(`\n${this.#flaky.length} flaky:\n${this.#flaky.map((name) => `  ${name}`).join('\n')}`);
  }
}
