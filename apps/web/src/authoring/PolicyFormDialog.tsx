import { type FileEdit, type PolicyForm, type RuleForm, writePolicyForm } from '@netpol-atlas/authoring';
import { useMemo, useState } from 'react';
import {
  applyEditsAction,
  closeDialogAction,
  selectFiles,
  selectPolicySourceFile,
  useDerived,
  useStore,
} from '../store/index.ts';
import { DialogShell } from '../ui/index.ts';
import { FileDiffList } from './FileDiffList.tsx';
import { formProblems, loadPolicyForm } from './policyFormModel.ts';
import { RuleEditor } from './RuleEditor.tsx';
import { revealEdit } from './reveal.ts';
import { SelectorEditor } from './SelectorEditor.tsx';

type Direction = 'ingress' | 'egress';

/**
 * The policy as a form. Writing goes through `writePolicyForm`, which rewrites only what changed
 * (comments and key order elsewhere survive), exactly as editing the YAML by hand would.
 */
export function PolicyFormDialog({ id }: { id: string }) {
  const files = useStore(selectFiles);
  const applyEdits = useStore(applyEditsAction);
  const closeDialog = useStore(closeDialogAction);
  const path = useDerived(selectPolicySourceFile(id));
  const file = files.find((f) => f.path === path);
  const [form, setForm] = useState<PolicyForm | undefined>(() =>
    file ? loadPolicyForm(file, id) : undefined,
  );
  const problems = useMemo(() => (form ? formProblems(form) : []), [form]);
  const edits = useMemo((): FileEdit[] | string => {
    if (!form || !file || problems.length > 0) return [];
    try {
      return writePolicyForm([file], id, form);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }, [form, file, id, problems]);

  if (!form) {
    return (
      <DialogShell title={`Edit ${id}`} testId="authoring.policy">
        <p>This policy is not in the documents any more (or its file does not parse).</p>
        <div className="dialog-actions">
          <button type="button" onClick={closeDialog}>
            Close
          </button>
        </div>
      </DialogShell>
    );
  }
  const setRules = (direction: Direction, rules: RuleForm[]) => setForm({ ...form, [direction]: rules });
  const toggleType = (type: 'Ingress' | 'Egress', on: boolean) =>
    setForm({
      ...form,
      policyTypes: (['Ingress', 'Egress'] as const).filter((t) =>
        t === type ? on : form.policyTypes.includes(t),
      ),
    });
  const rules = (direction: Direction, title: string) => (
    <section className="form-rules" aria-label={`${title} rules`}>
      <h3>
        {title} rules ({form[direction].length})
      </h3>
      {form[direction].length === 0 && (
        <p className="muted">
          {form.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')
            ? `None: this policy admits no ${direction}; the pods it selects are isolated for it.`
            : `None, and the policy does not govern ${direction}.`}
        </p>
      )}
      {form[direction].map((rule, i) => (
        <RuleEditor
          key={`${direction}-${i.toString()}`}
          label={`${title} rule ${i + 1}`}
          rule={rule}
          namespace={form.namespace}
          onChange={(next) =>
            setRules(
              direction,
              form[direction].map((r, j) => (j === i ? next : r)),
            )
          }
          onRemove={() =>
            setRules(
              direction,
              form[direction].filter((_, j) => j !== i),
            )
          }
        />
      ))}
      <button
        type="button"
        onClick={() => setRules(direction, [...form[direction], { peers: [], ports: [] }])}
      >
        + {title} rule
      </button>
    </section>
  );
  return (
    <DialogShell title={`Edit policy ${id}`} wide testId="authoring.policy">
      <div className="row">
        <label className="stacked">
          <span>Name</span>
          <input
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            spellCheck={false}
          />
        </label>
        <label className="stacked">
          <span>Namespace</span>
          <input
            value={form.namespace}
            onChange={(e) => setForm({ ...form, namespace: e.target.value })}
            spellCheck={false}
          />
        </label>
      </div>
      <SelectorEditor
        legend="Pods it selects"
        value={form.podSelector}
        onChange={(podSelector) => setForm({ ...form, podSelector })}
        emptyMeaning="Empty: every pod of the namespace."
      />
      <fieldset>
        <legend>Policy types (the directions it isolates)</legend>
        {(['Ingress', 'Egress'] as const).map((t) => (
          <label key={t} className="inline">
            <input
              type="checkbox"
              checked={form.policyTypes.includes(t)}
              onChange={(e) => toggleType(t, e.target.checked)}
            />
            {t}
          </label>
        ))}
      </fieldset>
      {rules('ingress', 'Ingress')}
      {rules('egress', 'Egress')}
      {problems.length > 0 && (
        <ul className="form-problems error" aria-label="To fix before applying">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {typeof edits === 'string' && <p className="error">{edits}</p>}
      {typeof edits !== 'string' && edits.length > 0 && <FileDiffList files={edits} />}
      {typeof edits !== 'string' && edits.length === 0 && problems.length === 0 && (
        <p className="muted">No changes yet.</p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={closeDialog}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={typeof edits === 'string' || edits.length === 0}
          onClick={() => {
            if (typeof edits === 'string') return;
            applyEdits(edits);
            closeDialog();
            revealEdit(edits[0]);
          }}
        >
          Apply
        </button>
      </div>
    </DialogShell>
  );
}
