import {
  selectDeniedShown,
  selectDeniedStatus,
  selectDeniedTruncated,
  showAdminDenied,
  useAdminDenied,
} from './adminDenied.ts';

/** What the edge styles and badges mean. */
export function Legend({ tiers, admin }: { tiers: boolean; admin: boolean }) {
  const deniedShown = useAdminDenied(selectDeniedShown);
  const deniedStatus = useAdminDenied(selectDeniedStatus);
  const truncated = useAdminDenied(selectDeniedTruncated);
  return (
    <aside className="legend" aria-label="Legend">
      {tiers ? (
        (['Admin', 'NetworkPolicy', 'Baseline', 'default'] as const).map((tier) => (
          <span key={tier}>
            <svg width="28" height="6" aria-hidden="true">
              <line
                x1="0"
                y1="3"
                x2="28"
                y2="3"
                stroke={`var(--tier-${tier.toLowerCase()})`}
                strokeWidth="2"
              />
            </svg>
            {tier === 'default'
              ? 'allowed by default'
              : `decided by ${tier === 'NetworkPolicy' ? 'NetworkPolicy' : `the ${tier} tier`}`}
          </span>
        ))
      ) : (
        <>
          <span>
            <svg width="28" height="6" aria-hidden="true">
              <line x1="0" y1="3" x2="28" y2="3" stroke="#2563eb" strokeWidth="2" />
            </svg>
            specific ports
          </span>
          <span>
            <svg width="28" height="6" aria-hidden="true">
              <line x1="0" y1="3" x2="28" y2="3" stroke="#94a3b8" strokeWidth="2" strokeDasharray="5 4" />
            </svg>
            all traffic
          </span>
        </>
      )}
      {admin && (
        <label className="inline legend-toggle">
          <input type="checkbox" checked={deniedShown} onChange={(e) => showAdminDenied(e.target.checked)} />
          <svg width="28" height="6" aria-hidden="true">
            <line
              x1="0"
              y1="3"
              x2="28"
              y2="3"
              stroke="var(--tier-denied)"
              strokeWidth="2"
              strokeDasharray="7 4"
            />
          </svg>
          show connections denied by the Admin tier
          {deniedShown && deniedStatus === 'computing' && ' (computing…)'}
          {deniedShown && truncated && ' (the first 5000 only)'}
        </label>
      )}
      <span>
        <span className="badge badge-on">in ✓</span> isolated by a policy
      </span>
      {tiers && (
        <span>
          <span className="badge badge-tier">tiers only</span> no NetworkPolicy, cluster policies apply
        </span>
      )}
      <span>
        <span className="badge badge-open">unprotected</span> no policy selects it
      </span>
    </aside>
  );
}
