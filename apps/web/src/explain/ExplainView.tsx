import type { ExplainSide, Protocol } from '../model/index.ts';
import { SourceLink } from '../ui/index.ts';
import { useAnalysisQuery } from '../workspace/index.ts';
import { TierChainView } from './TierChainView.tsx';

/** Asks the worker why `src` may or may not reach `dst`; re-asks when the analysis changes. */
function useExplanation(src: string, dst: string, query: { protocol: Protocol; port: number } | undefined) {
  const key = `${src}\n${dst}\n${query ? `${query.protocol}/${query.port}` : ''}`;
  const { data, error, loading } = useAnalysisQuery('explain', { src, dst, query }, key);
  return { result: data?.result, error, loading };
}

function Side({ side }: { side: ExplainSide }) {
  return (
    <section
      className={`explain-side ${side.allows ? 'allows' : 'denies'}`}
      aria-label={`${side.direction} side`}
    >
      <h4>
        {side.direction === 'Egress' ? 'Egress of the source' : 'Ingress of the destination'}:{' '}
        <span className={side.allows ? 'verdict-ok' : 'verdict-no'}>{side.allows ? 'allows' : 'denies'}</span>
      </h4>
      <p>{side.summary}</p>
      {side.tiers && <TierChainView side={side} chain={side.tiers} />}
      {side.allowedBy.length > 0 && (
        <ul className="rule-list">
          {side.allowedBy.map((m) => (
            <li key={`${m.policy}/${m.rule}`}>
              <strong>{m.policy}</strong> {m.direction.toLowerCase()} rule {m.rule}
              {m.peer === undefined ? ' (any peer)' : `, peer ${m.peer}`}
              {m.ports.length === 0
                ? ', any port'
                : `, port entr${m.ports.length === 1 ? 'y' : 'ies'} ${m.ports.join(', ')}`}{' '}
              → <code>{m.conn}</code> <SourceLink source={m.source} />
              {m.caveat && <div className="caveat">⚠ {m.caveat}</div>}
            </li>
          ))}
        </ul>
      )}
      {side.nearMisses.length > 0 && (
        <details>
          <summary>
            {side.nearMisses.length} rule{side.nearMisses.length === 1 ? '' : 's'} nearly matched
          </summary>
          <ul className="rule-list">
            {side.nearMisses.map((n) => (
              <li key={`${n.policy}/${n.rule}`}>
                <strong>{n.policy}</strong> rule {n.rule}:{' '}
                {n.reason === 'ports'
                  ? 'the peer matches, the ports do not'
                  : 'the ports match, the peer does not'}{' '}
                <SourceLink source={n.source} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** The verdict for one connection with both sides' policies and rules, each linking to its YAML. */
export function ExplainView({
  src,
  dst,
  query,
}: {
  src: string;
  dst: string;
  query?: { protocol: Protocol; port: number };
}) {
  const { result, error, loading } = useExplanation(src, dst, query);
  if (error) return <p className="error">Could not explain: {error}</p>;
  if (!result) return <p role="status">{loading ? 'Explaining…' : 'Unknown source or destination.'}</p>;
  return (
    <div className="explain" data-testid="explain">
      <p className={`verdict ${result.verdict}`} data-testid="explain.verdict">
        {result.verdict === 'allowed' ? 'Allowed' : 'Denied'}
        {result.query ? ` on ${result.query.protocol} ${result.query.port}` : `: ${result.conn}`}
      </p>
      <p className="pair">
        <code>{result.src}</code> → <code>{result.dst}</code>
      </p>
      <Side side={result.egress} />
      <Side side={result.ingress} />
      {result.notes.length > 0 && (
        <ul className="notes">
          {result.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
