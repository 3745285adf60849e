/** Redaction counts since start, for `/health`: how many batches held secrets and how many values were replaced. */
export interface RedactionCounts {
  batches: number;
  batchesWithSecrets: number;
  valuesRedacted: number;
  /** Values replaced in the most recent batch. */
  lastBatch: number;
}

export class RedactionStats {
  private counts: RedactionCounts = { batches: 0, batchesWithSecrets: 0, valuesRedacted: 0, lastBatch: 0 };

  record(redacted: number): void {
    const c = this.counts;
    this.counts = {
      batches: c.batches + 1,
      batchesWithSecrets: c.batchesWithSecrets + (redacted > 0 ? 1 : 0),
      valuesRedacted: c.valuesRedacted + redacted,
      lastBatch: redacted,
    };
  }

  snapshot(): RedactionCounts {
    return this.counts;
  }
}
