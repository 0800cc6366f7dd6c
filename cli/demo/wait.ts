/**
 * Waiting in the demo: the nodes deliver on their own (outbox, retries), so each step waits
 * until the other side shows the expected state, polling its local API, within a time limit.
 */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch {
      // a node restarting answers nothing for a moment
    }
    if (Date.now() > deadline) throw new Error(`the demo waited too long for: ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
