/** Polls until `condition` holds, for at most `limitMs` (a bound on the wait, not a timing assertion). */
export async function waitFor<T>(
  read: () => Promise<T>,
  condition: (value: T) => boolean,
  limitMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (condition(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not there after ${limitMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
