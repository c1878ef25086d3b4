// `npm run bench`: runs each benchmark and writes docs/benchmarks.md with the machine and command.
// Every server it starts listens on 127.0.0.1 only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';
import { repoRoot } from '../support/paths';
import { runBundleBench } from './bundleBench';
import { runHostBench } from './hostBench';
import { runJoinBench } from './joinBench';
import { describeMachine, type BenchSection } from './machine';

const BENCHMARKS: Array<{ name: string; run: () => Promise<BenchSection> }> = [
  { name: 'join', run: runJoinBench },
  { name: 'bundle', run: runBundleBench },
  { name: 'host', run: runHostBench },
];

async function main(): Promise<void> {
  process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
  const wanted = process.argv.slice(2);
  const sections: BenchSection[] = [];
  for (const bench of BENCHMARKS) {
    if (wanted.length > 0 && !wanted.includes(bench.name)) {
      continue;
    }
    console.log(`Running the ${bench.name} benchmark...`);
    const section = await bench.run();
    console.log([`## ${section.title}`, ...section.lines].join('\n') + '\n');
    sections.push(section);
  }
  const page = [
    '# Benchmarks',
    '',
    `Machine: ${describeMachine()}.`,
    `Command: \`npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}\`, run on ${new Date().toISOString().slice(0, 10)}.`,
    'Every number comes from one run against the local ECS server on 127.0.0.1.',
    '',
    ...sections.flatMap((section) => [`## ${section.title}`, '', ...section.lines, '']),
  ];
  const file = path.join(repoRoot, 'docs', 'benchmarks.md');
  // Formatted as `npm run format` would, so that the format check passes on the written page.
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await prettier.format(page.join('\n'), { ...options, filepath: file }));
  console.log(`Wrote ${path.relative(repoRoot, file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
