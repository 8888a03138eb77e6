/**
 * What a selected edge stands for: connections the policies allow, connections they deny (an
 * edge of the Admin-denied overlay, or observed flows with nothing allowed between the ends), or
 * allowed connections beside observed flows the policies deny (the overlay draws it red too).
 */
export type EdgeVerdict = 'allowed' | 'denied' | 'partly-denied';

/** What the details panel knows about an edge when it is selected. */
export interface EdgeFacts {
  /** An edge of the Admin-denied overlay: it describes what the Admin tier denies. */
  adminDenied: boolean;
  /** Whether the policies allow any connection behind the edge. */
  allowed: boolean;
  /** Observed flows behind the edge that the policies deny. */
  observedDenied: number;
}

/** The verdict of an edge, as its details panel words it. */
export function edgeVerdict(facts: EdgeFacts): EdgeVerdict {
  if (facts.adminDenied || !facts.allowed) return 'denied';
  return facts.observedDenied > 0 ? 'partly-denied' : 'allowed';
}

/** The question the details panel answers for an edge of each verdict. */
export const VERDICT_TITLE: Readonly<Record<EdgeVerdict, string>> = {
  allowed: 'Why is this allowed?',
  denied: 'Why is this denied?',
  'partly-denied': 'Why is this partly denied?',
};
