/** A rehearsal that could not start, or a pod that did not become ready. */
export class RehearsalError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'RehearsalError';
  }
}

/** The last `n` lines of a text, for failure messages. */
export function tail(text: string, n: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return (lines.length > n ? [`… (${lines.length - n} earlier lines)`, ...lines.slice(-n)] : lines).join('\n');
}
