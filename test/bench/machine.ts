import * as os from 'node:os';

/** One line that names the machine a benchmark ran on. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = (os.totalmem() / 2 ** 30).toFixed(0);
  return `${cpus.length} × ${model}, ${memoryGiB} GiB, ${os.type()} ${os.release()}, Node.js ${process.version}`;
}

/** A section of docs/benchmarks.md: a heading and Markdown lines. */
export interface BenchSection {
  title: string;
  lines: string[];
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
