import { flowImpact } from '@netpol-atlas/flows';
import type { Workspace } from '@netpol-atlas/workspace';
import { optionValue, type ParsedArgs } from '../args.ts';
import type { CliIO } from '../io.ts';
import { flowFormat, observeFlows } from './flows.ts';
import { flowImpactMarkdown, flowImpactObject, flowImpactText } from './flowsFormat.ts';
import { flowImpactSarif } from './flowsSarif.ts';
import { writeOutput } from './shared.ts';

/**
 * `netpol diff --dir1 OLD --dir2 NEW --flows FILE`: which observed flows the change from OLD to
 * NEW would deny. Returns 1 when it denies any that OLD allowed (a CI gate for a policy change),
 * else 0.
 */
export async function diffFlows(
  io: CliIO,
  args: ParsedArgs,
  file: string,
  before: Workspace,
  after: Workspace,
  options: { quiet: boolean },
): Promise<number> {
  const format = flowFormat(optionValue(args, 'output'), 'diff');
  const { input, reports } = await observeFlows(io, file, [before, after], options);
  const impact = flowImpact(reports[0]!, reports[1]!);
  const render = {
    text: () => flowImpactText(impact, input),
    json: () => `${JSON.stringify({ tool: 'netpol-atlas', ...flowImpactObject(impact, input) }, null, 2)}\n`,
    md: () => flowImpactMarkdown(impact, input),
    sarif: () => flowImpactSarif(impact, input),
  };
  await writeOutput(io, args, render[format]());
  return impact.newlyDenied.length > 0 ? 1 : 0;
}
