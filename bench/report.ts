// The results of a run as JSON (everything) and as markdown (the tables, for people).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScenarioResult, Table } from './scenario';
import type { MachineInfo } from './system';

export interface BenchResults {
  name: string;
  quick: boolean;
  startedAt: string;
  durationSeconds: number;
  commit: string;
  machine: MachineInfo;
  scenarios: ScenarioResult[];
  /** Scenarios that could not be carried out, with why. */
  errors: { scenario: string; error: string }[];
}

function markdownTable(table: Table): string {
  const escape = (cell: string | number) => String(cell).replaceAll('|', '\\|');
  return [
    `**${table.title}**`,
    '',
    `| ${table.columns.map(escape).join(' | ')} |`,
    `| ${table.columns.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

export function toMarkdown(results: BenchResults): string {
  const { machine } = results;
  const targets = results.scenarios.flatMap((scenario) => scenario.targets);
  const lines = [
    `# Benchmark results: ${results.name}`,
    '',
    `Run ${results.startedAt} on commit ${results.commit}, ${results.durationSeconds} s${results.quick ? ' (quick smoke run: numbers mean nothing)' : ''}.`,
    '',
    '| Machine | |',
    '| --- | --- |',
    `| CPU | ${machine.cpuModel}, ${machine.cores} cores |`,
    `| Memory | ${machine.memoryGiB} GiB |`,
    `| Kernel | Linux ${machine.kernel} |`,
    `| Node.js | ${machine.node} |`,
    `| PostgreSQL | ${machine.postgres} |`,
    `| Redis | ${machine.redis} |`,
    `| Socket.IO | ${machine.socketIo} |`,
    `| Open files per process | ${machine.openFilesLimit} |`,
    '',
    'Server, PostgreSQL, Redis and the load generator share this one machine.',
    '',
    '## Targets',
    '',
    '| Target | Wanted | Measured | |',
    '| --- | --- | --- | --- |',
    ...targets.map(
      (target) =>
        `| ${target.name} | ${target.target} | ${target.measured} | ${target.met ? 'met' : '**missed**'} |`,
    ),
    '',
  ];
  for (const error of results.errors) {
    lines.push(`**${error.scenario} could not run:** ${error.error}`, '');
  }
  for (const scenario of results.scenarios) {
    lines.push(`## ${scenario.title}`, '');
    if (!scenario.ok)
      lines.push('**Failed: messages were lost or doubled, or requests failed.**', '');
    for (const table of scenario.tables) lines.push(markdownTable(table), '');
    for (const note of scenario.notes) lines.push(note, '');
  }
  return lines.join('\n');
}

export function writeResults(
  results: BenchResults,
  basePath: string,
): { json: string; markdown: string } {
  mkdirSync(dirname(basePath), { recursive: true });
  const json = `${basePath}.json`;
  const markdown = `${basePath}.md`;
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(markdown, toMarkdown(results));
  return { json, markdown };
}
