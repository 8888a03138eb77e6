import { Fragment, type KeyboardEvent, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { MIGRATE_LABEL, MigrateDialog } from '../migrate/index.ts';
import { OVERFLOW_UNIT } from '../ui/index.ts';

/** One entry of the menu: an action, a toggle (checked) or one choice of a group (radio). */
export interface MenuEntry {
  label: string;
  run: () => void;
  disabled?: boolean;
  checked?: boolean;
  kind?: 'action' | 'toggle' | 'radio';
}

/** Entries grouped as the toolbar groups them; a group with a label is announced as such. */
export interface MenuGroup {
  id: string;
  label?: string;
  entries: MenuEntry[];
}

/**
 * The entries of the units that left the toolbar. A unit's buttons are re-used as they are (the
 * menu clicks the hidden button), so each action is written once and behaves the same from the
 * bar and from the menu; a unit that is not made of buttons supplies its own entries.
 */
function collectGroups(
  toolbar: HTMLElement,
  hidden: ReadonlySet<string>,
  custom: Readonly<Record<string, MenuGroup>>,
): MenuGroup[] {
  const groups: MenuGroup[] = [];
  for (const unit of toolbar.querySelectorAll<HTMLElement>(`[${OVERFLOW_UNIT}]`)) {
    const id = unit.getAttribute(OVERFLOW_UNIT)!;
    if (!hidden.has(id)) continue;
    const own = custom[id];
    if (own) {
      groups.push(own);
      continue;
    }
    const buttons = unit.matches('button') ? [unit] : [...unit.querySelectorAll<HTMLElement>('button')];
    const entries = buttons.map((button) => {
      const pressed = button.getAttribute('aria-pressed');
      return {
        label: button.getAttribute('aria-label') ?? button.textContent?.trim() ?? '',
        run: () => button.click(),
        disabled: (button as HTMLButtonElement).disabled,
        ...(pressed === null ? {} : { kind: 'toggle' as const, checked: pressed === 'true' }),
      };
    });
    // Plain buttons side by side in the bar read as one list in the menu.
    const last = groups.at(-1);
    if (last && !custom[last.id]) last.entries.push(...entries);
    else groups.push({ id, entries });
  }
  return groups.filter((g) => g.entries.length > 0);
}

/** One item; a button carrying the menu role, so Enter and Space activate it natively. */
function MenuItem({ entry, onRun }: { entry: MenuEntry; onRun: () => void }) {
  const common = {
    type: 'button' as const,
    tabIndex: -1,
    className: 'overflow-item',
    'aria-disabled': entry.disabled ? true : undefined,
    onClick: () => {
      if (!entry.disabled) onRun();
    },
  };
  const mark = (symbol: string) => (
    <span className="overflow-check" aria-hidden="true">
      {entry.checked ? symbol : ''}
    </span>
  );
  if (entry.kind === 'toggle')
    return (
      <button {...common} role="menuitemcheckbox" aria-checked={entry.checked === true}>
        {mark('✓')}
        {entry.label}
      </button>
    );
  if (entry.kind === 'radio')
    return (
      <button {...common} role="menuitemradio" aria-checked={entry.checked === true}>
        {mark('●')}
        {entry.label}
      </button>
    );
  return (
    <button {...common} role="menuitem">
      {entry.label}
    </button>
  );
}

/**
 * The toolbar's "More" menu button (WAI-ARIA menu button pattern): Enter, Space or ArrowDown
 * open it on the first item, arrows and Home/End move, Escape closes it back on the button,
 * Tab or a click elsewhere closes it.
 */
export function OverflowMenu({
  toolbar,
  hidden,
  custom,
}: {
  toolbar: RefObject<HTMLElement | null>;
  hidden: ReadonlySet<string>;
  custom: Readonly<Record<string, MenuGroup>>;
}) {
  const [groups, setGroups] = useState<MenuGroup[] | undefined>(undefined);
  const [migrating, setMigrating] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const open = groups !== undefined;

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
  const show = (focus: 'first' | 'last') => {
    if (!toolbar.current) return;
    // Workspace-wide actions that have no toolbar button live only here, after the overflowed units.
    const workspace: MenuGroup = {
      id: 'workspace',
      entries: [{ label: MIGRATE_LABEL, run: () => setMigrating(true) }],
    };
    setGroups([...collectGroups(toolbar.current, hidden, custom), workspace]);
    requestAnimationFrame(() => {
      const list = items().filter((item) => item.getAttribute('aria-disabled') !== 'true');
      (focus === 'first' ? list[0] : list.at(-1))?.focus();
    });
  };
  const close = (refocus: boolean) => {
    setGroups(undefined);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setGroups(undefined);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const onMenuKey = (e: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      e.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(list.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'Tab') close(false);
  };

  // Always shown (it holds the workspace actions). Not `.overflow-more`: the toolbar's overflow
  // measure counts that button's room as freed when the last unit comes back, which is only true
  // of a button that then disappears.
  return (
    <div className="overflow-menu-host" style={{ position: 'relative' }}>
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : show('first'))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            show(e.key === 'ArrowDown' ? 'first' : 'last');
          }
        }}
      >
        More ▾
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label="More"
          className="overflow-menu"
          onKeyDown={onMenuKey}
        >
          {groups.map((group, g) => (
            <Fragment key={group.id}>
              {g > 0 && <hr className="overflow-separator" />}
              {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> is not allowed in a menu; an ARIA group is */}
              <div role="group" aria-label={group.label} className="overflow-group">
                {group.label && (
                  <div className="overflow-group-label" aria-hidden="true">
                    {group.label}
                  </div>
                )}
                {group.entries.map((entry) => (
                  <MenuItem
                    key={entry.label}
                    entry={entry}
                    onRun={() => {
                      close(true);
                      entry.run();
                    }}
                  />
                ))}
              </div>
            </Fragment>
          ))}
        </div>
      )}
      {migrating && <MigrateDialog onClose={() => setMigrating(false)} />}
    </div>
  );
}
