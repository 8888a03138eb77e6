/** The plural of an English noun by the regular rules; irregular nouns pass theirs to `plural`. */
function regularPlural(noun: string): string {
  if (/[^aeiou]y$/i.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

// One formatter for every count: `toLocaleString` builds a new one per call, which showed as
// 100 ms in profiles when 600 collapsed namespaces each print their size.
const COUNT = new Intl.NumberFormat('en');

/**
 * A count with its noun, in the right number: `plural(1, 'policy')` is "1 policy",
 * `plural(2, 'policy')` "2 policies", `plural(3, 'address range')` "3 address ranges".
 * The one place the packages and the app pluralise, so no message reads "1 policies" or "rule(s)".
 */
export function plural(count: number, noun: string, many: string = regularPlural(noun)): string {
  return `${COUNT.format(count)} ${count === 1 ? noun : many}`;
}
