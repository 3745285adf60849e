/** Polls until `condition` holds; the test's own timeout bounds the wait, so no timing is asserted. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, pollMs = 10): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, pollMs));
}
