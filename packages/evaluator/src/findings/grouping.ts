import { findingRuleInfo, severityRank } from './catalog.ts';
import { type FindingContext, listText, MAX_LISTED } from './context.ts';
import type { Finding, FindingInstance, FindingLocation } from './types.ts';

/**
 * Findings that say the same thing about many places read as one: a namespace's open workloads
 * and missing default-denies become "namespace X: N workloads open"; one label set trusted by many
 * rules, and identical rules, become one finding each. Nothing is lost: the group keeps every
 * instance, as it would be reported alone, in `instances`.
 *
 * @param list findings in their final order, with unique ids
 * @param keys the group key of each finding (undefined: reported alone), index by index
 * @param compare the report order, applied to instances too
 */
export function groupFindings(
  ctx: FindingContext,
  list: readonly Finding[],
  keys: readonly (string | undefined)[],
  compare: (a: Finding, b: Finding) => number,
): Finding[] {
  const out: Finding[] = [];
  const groups = new Map<string, Finding[]>();
  list.forEach((f, i) => {
    const key = keys[i];
    if (key === undefined) {
      out.push(f);
      return;
    }
    const members = groups.get(key);
    if (members) members.push(f);
    else groups.set(key, [f]);
  });
  for (const [key, members] of groups) {
    if (members.length === 1) out.push(members[0]!);
    else out.push(makeGroup(ctx, key, [...members].sort(compare)));
  }
  return out.sort(compare);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function uniqueLocations(members: readonly FindingInstance[]): FindingLocation[] {
  const seen = new Set<string>();
  const out: FindingLocation[] = [];
  for (const l of members.flatMap((m) => m.locations)) {
    const k = `${l.file}:${l.range?.start.line}:${l.range?.start.column}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(l);
    if (out.length >= MAX_LISTED) break;
  }
  return out;
}

/** What a group says: its title, message and fix, by the kind of group (the key's prefix). */
interface GroupText {
  title: string;
  message: string;
  fix?: Finding['fix'];
}

function makeGroup(ctx: FindingContext, key: string, members: FindingInstance[]): Finding {
  const lead = members[0]!;
  const kind = key.slice(0, key.indexOf(':'));
  const text =
    kind === 'namespace-open'
      ? namespaceText(ctx, key.slice(kind.length + 1), members)
      : kind === 'any-peer'
        ? anyPeerText(members)
        : kind === 'pod-label'
          ? podLabelText(members)
          : sameText(members);
  const group: Finding = {
    id: `${findingRuleInfo(lead.rule).code}:group/${key}`,
    rule: lead.rule,
    // Members are sorted most severe first.
    severity: lead.severity,
    title: text.title,
    message: text.message,
    subjects: unique(members.flatMap((m) => m.subjects)).slice(0, MAX_LISTED),
    namespaces: unique(members.flatMap((m) => m.namespaces)).sort(),
    locations: uniqueLocations(members),
    instances: members,
  };
  const fix = text.fix ?? lead.fix;
  if (fix) group.fix = fix;
  return group;
}

/** The subject a per-workload or per-rule instance is about (its first subject). */
function firstSubjects(members: readonly FindingInstance[]): string[] {
  return unique(members.map((m) => m.subjects[0] ?? m.id));
}

function namespaceText(ctx: FindingContext, ns: string, members: readonly FindingInstance[]): GroupText {
  const of = (rule: FindingInstance['rule']) => members.filter((m) => m.rule === rule);
  const openIn = firstSubjects(of('open-ingress'));
  const openOut = firstSubjects(of('open-egress'));
  const noDenyIn = of('missing-default-deny-ingress').length > 0;
  const noDenyOut = of('missing-default-deny-egress').length > 0;
  const workloads = ctx.workloadsIn(ns).filter((w) => !w.hostNetwork).length;
  const policies = ctx.policiesIn(ns).length;
  const open = unique([...openIn, ...openOut]);
  const both = openIn.length === workloads && openOut.length === workloads;
  const title =
    policies === 0
      ? `Namespace ${ns} has no NetworkPolicy: ${workloads} workload${workloads === 1 ? '' : 's'} open to ingress and egress`
      : open.length > 0
        ? `Namespace ${ns}: ${open.length} of ${workloads} workloads open (${[openIn.length > 0 ? `${openIn.length} to ingress` : '', openOut.length > 0 ? `${openOut.length} to egress` : ''].filter(Boolean).join(', ')})${noDenyIn || noDenyOut ? `, no default-deny ${[noDenyIn ? 'ingress' : '', noDenyOut ? 'egress' : ''].filter(Boolean).join(' or ')}` : ''}`
        : `Namespace ${ns} has no default-deny ${[noDenyIn ? 'ingress' : '', noDenyOut ? 'egress' : ''].filter(Boolean).join(' or ')} policy`;
  const parts = [
    policies === 0
      ? `No NetworkPolicy applies in namespace ${ns}, so every pod there accepts connections from every pod and address${both ? ' and may connect anywhere' : ''}: ${listText(open)}.`
      : '',
    policies > 0 && openIn.length > 0
      ? `No policy selects ${listText(openIn)} for ingress: every pod of every namespace, and every address that can route to ${openIn.length === 1 ? 'it' : 'them'}, may connect on any port.`
      : '',
    policies > 0 && openOut.length > 0
      ? `No policy selects ${listText(openOut)} for egress: ${openOut.length === 1 ? 'it' : 'they'} may connect to every pod and every address.`
      : '',
    noDenyIn || noDenyOut
      ? `Without a default-deny (\`podSelector: {}\`, no rules) for ${[noDenyIn ? 'ingress' : '', noDenyOut ? 'egress' : ''].filter(Boolean).join(' and ')}, every pod created later, or relabelled out of its policies, is open too.`
      : '',
    `The ${members.length} instances list each workload and direction.`,
  ];
  const directions = [
    noDenyIn || openIn.length > 0 ? 'ingress' : '',
    noDenyOut || openOut.length > 0 ? 'egress' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const lead = members[0]!;
  return {
    title,
    message: parts.filter(Boolean).join(' '),
    ...(lead.fix
      ? {
          fix: {
            description: `Add default-deny ${directions} policies to namespace ${ns} (\`podSelector: {}\`, no rules${directions.includes('egress') ? ', DNS allowed' : ''}), then allow what each workload needs.`,
            suggestion: lead.fix.suggestion,
          },
        }
      : {}),
  };
}

function anyPeerText(members: readonly FindingInstance[]): GroupText {
  const lead = members[0]!;
  const rules = members.length;
  const policies = unique(members.map((m) => m.subjects[0]!));
  const workloads = unique(members.flatMap((m) => m.subjects.slice(1)));
  // Every instance has the same direction and ports (the group key): the lead's title says which.
  const what = lead.title
    .slice(lead.title.indexOf(' has no '))
    .replace(' has no ', ' have no ')
    .replace(': it admits ', ': they admit ');
  return {
    title: `${rules} rules${what}`,
    // Each rule's own counterparts decide its peers: the group can only point at them.
    ...(lead.fix
      ? {
          fix: {
            description: `List the peers each rule is for: every instance suggests the workloads whose own policies expect its traffic (first: ${lead.fix.description})`,
            suggestion: lead.fix.suggestion,
          },
        }
      : {}),
    message: `${rules} rules in ${listText(policies)} list no peers${workloads.length > 0 ? `, so ${listText(workloads)} are as open as if no policy selected them for that direction` : ''}. ${lead.message.slice(lead.message.indexOf('. ') + 2)}`,
  };
}

function podLabelText(members: readonly FindingInstance[]): GroupText {
  const lead = members[0]!;
  const policies = unique(members.map((m) => m.subjects[0]!));
  const couldSpoof = unique(members.flatMap((m) => m.subjects.slice(1)));
  const trusted = lead.title.slice(lead.title.indexOf(' admits ') + ' admits '.length);
  return {
    title: `${members.length} rules admit ${trusted}`,
    message: `${members.length} rules of ${listText(policies)} admit ${trusted}. Anyone who can create or label pods there (directly or through a Deployment) can give a pod these labels and reach the pods of every one of these policies.${couldSpoof.length > 0 ? ` Workloads there that would gain access by changing labels: ${listText(couldSpoof)}.` : ''}`,
  };
}

/** Instances that say the same thing in different places: the lead's words, and the places. */
function sameText(members: readonly FindingInstance[]): GroupText {
  const lead = members[0]!;
  const places = firstSubjects(members);
  const severities = unique(members.map((m) => m.severity)).sort((a, b) => severityRank(a) - severityRank(b));
  return {
    title: `${lead.title} (and ${members.length - 1} more like it)`,
    message: `${lead.message} The same finding applies to ${members.length} places (${listText(places)})${severities.length > 1 ? `, at ${severities.join(' to ')}` : ''}.`,
  };
}
