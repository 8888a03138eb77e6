import type { SelectorForm } from '@netpol-atlas/authoring';
import { ParsedInput } from './ParsedInput.tsx';
import { splitList } from './policyFormModel.ts';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** A label selector: `key = value` rows and expressions; empty matches everything (said in `emptyMeaning`). */
export function SelectorEditor({
  legend,
  value,
  onChange,
  emptyMeaning,
}: {
  legend: string;
  value: SelectorForm;
  onChange: (value: SelectorForm) => void;
  emptyMeaning: string;
}) {
  const labels = Object.entries(value.matchLabels);
  const setLabels = (entries: [string, string][]) =>
    onChange({ ...value, matchLabels: Object.fromEntries(entries) });
  const setExpressions = (matchExpressions: SelectorForm['matchExpressions']) =>
    onChange({ ...value, matchExpressions });
  return (
    <fieldset className="selector-editor">
      <legend>{legend}</legend>
      {labels.length === 0 && value.matchExpressions.length === 0 && <p className="muted">{emptyMeaning}</p>}
      {labels.map(([k, v], i) => (
        <div className="kv-row" key={`label-${i.toString()}`}>
          <input
            aria-label={`${legend}: key of label ${i + 1}`}
            value={k}
            onChange={(e) =>
              setLabels(labels.map((entry, j) => (j === i ? [e.target.value, entry[1]] : entry)))
            }
          />
          <span aria-hidden="true">=</span>
          <input
            aria-label={`${legend}: value of label ${i + 1}`}
            value={v}
            onChange={(e) =>
              setLabels(labels.map((entry, j) => (j === i ? [entry[0], e.target.value] : entry)))
            }
          />
          <button
            type="button"
            className="icon-button"
            aria-label={`${legend}: remove label ${k || i + 1}`}
            onClick={() => setLabels(labels.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      {value.matchExpressions.map((e, i) => {
        const update = (patch: Partial<SelectorForm['matchExpressions'][number]>) =>
          setExpressions(value.matchExpressions.map((x, j) => (j === i ? { ...x, ...patch } : x)));
        const needsValues = e.operator === 'In' || e.operator === 'NotIn';
        return (
          <div className="kv-row" key={`expression-${i.toString()}`}>
            <input
              aria-label={`${legend}: key of expression ${i + 1}`}
              value={e.key}
              onChange={(ev) => update({ key: ev.target.value })}
            />
            <select
              aria-label={`${legend}: operator of expression ${i + 1}`}
              value={e.operator}
              onChange={(ev) => update({ operator: ev.target.value, values: needsValues ? e.values : [] })}
            >
              {OPERATORS.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
            <ParsedInput
              aria-label={`${legend}: values of expression ${i + 1} (comma-separated)`}
              value={e.values}
              format={(list) => list.join(', ')}
              parse={splitList}
              disabled={!needsValues}
              onValue={(values) => update({ values })}
            />
            <button
              type="button"
              className="icon-button"
              aria-label={`${legend}: remove expression ${i + 1}`}
              onClick={() => setExpressions(value.matchExpressions.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </div>
        );
      })}
      <div className="button-group small">
        <button type="button" onClick={() => setLabels([...labels, ['', '']])}>
          + Label
        </button>
        <button
          type="button"
          onClick={() =>
            setExpressions([...value.matchExpressions, { key: '', operator: 'Exists', values: [] }])
          }
        >
          + Expression
        </button>
      </div>
    </fieldset>
  );
}
