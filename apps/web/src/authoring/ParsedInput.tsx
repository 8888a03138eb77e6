import { type InputHTMLAttributes, useState } from 'react';

/**
 * A text input for a value that is not text (a list, a port): the user's text is kept as typed
 * (a trailing comma must survive the keystroke), the parsed value goes up, and only a change
 * made elsewhere replaces the text.
 */
export function ParsedInput<T>({
  value,
  format,
  parse,
  onValue,
  ...input
}: {
  value: T;
  format: (value: T) => string;
  parse: (text: string) => T;
  onValue: (value: T) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const [text, setText] = useState(() => format(value));
  const [seen, setSeen] = useState(value);
  if (!Object.is(value, seen)) {
    setSeen(value);
    setText(format(value));
  }
  return (
    <input
      {...input}
      value={text}
      onChange={(e) => {
        const parsed = parse(e.target.value);
        setText(e.target.value);
        setSeen(parsed);
        onValue(parsed);
      }}
    />
  );
}
