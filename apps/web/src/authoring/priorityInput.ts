/** The priority typed: undefined when empty (the planner suggests one), else the number or an error. */
export function parsePriority(text: string): { priority: number | undefined } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { priority: undefined };
  if (!/^\d+$/.test(trimmed) || Number(trimmed) > 1000)
    return { error: 'The priority is a whole number from 0 to 1000.' };
  return { priority: Number(trimmed) };
}
