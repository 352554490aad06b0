/** A made-up sales series that moves a little every tick: the dashboard's chart. */
export class SalesSeries {
  private readonly values: number[] = [];
  private tick = 0;

  constructor(private readonly length = 12) {
    for (let i = 0; i < length; i++) this.advance();
  }

  advance(): void {
    const last = this.values[this.values.length - 1] ?? 100;
    this.values.push(Math.max(10, Math.round(last + (Math.random() - 0.45) * 20)));
    if (this.values.length > this.length) this.values.shift();
    this.tick++;
  }

  view(): { labels: string[]; values: number[]; total: number; latest: number; tick: number } {
    const labels = this.values.map((_, i) => `t-${this.values.length - 1 - i}`);
    return { labels, values: [...this.values], total: this.values.reduce((a, b) => a + b, 0), latest: this.values[this.values.length - 1], tick: this.tick };
  }
}
