/**
 * A small progress bar on stderr (stdout stays the report). On a terminal it
 * redraws one line; elsewhere (CI logs, pipes) it prints a line per 10%.
 */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly started = performance.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = '',
  ) {}

  tick(n = 1): void {
    this.done += n;
    const now = performance.now();
    if (this.tty ? now - this.lastDraw > 100 : Math.floor((10 * this.done) / this.total) > this.lastDecile) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  finish(): void {
    // Off a terminal the 100% line may already be out.
    if (this.tty || this.lastDecile < 10) this.draw(true);
  }

  private draw(final: boolean): void {
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    this.lastDecile = Math.floor(fraction * 10);
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const line = `${this.label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${compact(this.done)}/${compact(this.total)}${this.unit} ${compact(rate)}${this.unit}/s ${seconds.toFixed(1)}s`;
    if (this.tty) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  }
}

export function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}
