import { type ReactNode, useId, useMemo, useState } from 'react';
import type { GraphNode } from '../model/index.ts';
import { rankPeers } from './peerLookup.ts';
import './combobox.css';

/**
 * A text field with ranked peer suggestions (the ARIA combobox pattern): typing opens a listbox
 * of matches, best first; arrow keys move through it, Enter or a click picks one, Escape closes
 * it. Enter with the list closed leaves the text as typed (`onEnter`).
 */
export function PeerCombobox({
  label,
  hideLabel,
  value,
  nodes,
  placeholder,
  onChange,
  onPick,
  onEnter,
  describedBy,
  invalid,
  type = 'text',
  children,
}: {
  label: string;
  /** The label is read by assistive technology only (the field's placeholder shows it). */
  hideLabel?: boolean;
  value: string;
  nodes: readonly GraphNode[];
  placeholder?: string;
  onChange: (value: string) => void;
  /** A suggestion was picked (its id is already passed to `onChange`). */
  onPick?: (id: string) => void;
  onEnter?: (value: string) => void;
  describedBy?: string | undefined;
  invalid?: boolean;
  type?: 'text' | 'search';
  children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputId = useId();
  const options = useMemo(() => (open ? rankPeers(nodes, value) : []), [open, nodes, value]);
  const expanded = open && options.length > 0;
  const activeIndex = Math.min(active, options.length - 1);
  const optionId = (i: number) => `${listId}-option-${i}`;
  const pick = (id: string) => {
    onChange(id);
    onPick?.(id);
    setOpen(false);
  };
  return (
    <div className={`combobox ${hideLabel ? '' : 'stacked'}`}>
      <label htmlFor={inputId} className={hideLabel ? 'sr-only' : undefined}>
        {label}
      </label>
      <input
        id={inputId}
        type={type}
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded ? optionId(activeIndex) : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        placeholder={placeholder}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            if (!expanded) {
              setOpen(true);
              setActive(0);
              return;
            }
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((activeIndex + step + options.length) % options.length);
          } else if (e.key === 'Escape' && expanded) {
            e.preventDefault();
            setOpen(false);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const option = expanded ? options[activeIndex] : undefined;
            if (option) pick(option.id);
            else onEnter?.(value);
          }
        }}
      />
      {/* Rendered while closed too, so aria-controls always names an element. */}
      <div
        id={listId}
        role="listbox"
        // Not named after the field: a lookup by the field's label must find the field alone.
        aria-label="Suggestions"
        className="combobox-list"
        hidden={!expanded}
      >
        {options.map((node, i) => (
          // biome-ignore lint/a11y/useFocusableInteractive: options are reached through the input's aria-activedescendant, as the ARIA combobox pattern prescribes
          <div
            key={node.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === activeIndex}
            className={i === activeIndex ? 'active' : undefined}
            // Picking happens before the input's blur closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(node.id);
            }}
            onMouseEnter={() => setActive(i)}
          >
            <span className="combobox-name">{node.label}</span> <span className="combobox-id">{node.id}</span>
          </div>
        ))}
      </div>
      {children}
    </div>
  );
}
