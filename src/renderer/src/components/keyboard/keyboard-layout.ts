/**
 * The on-screen keyboard's keys and what a key press does to a text field, kept pure so the layout
 * rules (the three languages' letters, the URL and e-mail symbols, the PIN pad) and the editing at
 * the caret are tested without a screen.
 */

/** What the field is for: decides which keys are offered. */
export type KeyboardMode = 'text' | 'url' | 'email' | 'numeric';

/** A key press as the field applies it. */
export type KeyAction = { type: 'insert'; text: string } | { type: 'backspace' } | { type: 'clear' } | { type: 'enter' };

/** Which page of keys is showing. */
export type KeyboardPage = 'letters' | 'symbols';

/** Shift: off, for the next letter only, or locked (pressed twice). */
export type ShiftState = 'off' | 'once' | 'locked';

export const DIGIT_ROW: readonly string[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export const LETTER_ROWS: readonly (readonly string[])[] = [
  ['q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p'],
  ['a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l'],
  ['z', 'x', 'c', 'v', 'b', 'n', 'm'],
];

/**
 * The letters English lacks, for Polish and Spanish names and reasons: always offered, whatever
 * language the screen is in (a Spanish-speaking manager types Polish names too).
 */
export const ACCENT_ROW: readonly string[] = ['ą', 'ć', 'ę', 'ł', 'ń', 'ó', 'ś', 'ź', 'ż', 'á', 'é', 'í', 'ñ', 'ú', 'ü'];

export const SYMBOL_ROWS: readonly (readonly string[])[] = [
  ['@', '#', '&', '_', '-', '+', '(', ')', '/', ':'],
  ['.', ',', '?', '!', "'", '"', '%', '=', '*', ';'],
  ['¿', '¡', '€', '$', '~', '<', '>', '[', ']', '|'],
];

/** Keys beside the space bar on the letters page, by field kind (a web address needs ":" and "/"). */
export const MODE_KEYS: Readonly<Record<Exclude<KeyboardMode, 'numeric'>, readonly string[]>> = {
  text: [',', '.', '-'],
  url: [':', '/', '.', '-', '_'],
  email: ['@', '.', '-', '_'],
};

/** The PIN pad, row by row; `clear` and `backspace` are the two action keys. */
export const NUMERIC_ROWS: readonly (readonly string[])[] = [
  ['1', '2', '3'],
  ['4', '5', '6'],
  ['7', '8', '9'],
  ['clear', '0', 'backspace'],
];

/** A letter as typed with the current shift state. */
export function shifted(char: string, shift: ShiftState): string {
  return shift === 'off' ? char : char.toLocaleUpperCase();
}

/** Shift's next state when Shift is pressed: off -> once -> locked -> off. */
export function nextShift(shift: ShiftState): ShiftState {
  return shift === 'off' ? 'once' : shift === 'once' ? 'locked' : 'off';
}

/** Shift's state after a character was typed: a one-shot shift is used up. */
export function afterCharacter(shift: ShiftState): ShiftState {
  return shift === 'once' ? 'off' : shift;
}

export interface Selection {
  start: number;
  end: number;
}

/**
 * Applies a key to `value` at the selection (a selection is replaced; backspace without one
 * deletes the character before the caret). Never grows the value past `maxLength`. Returns the new
 * value and where the caret goes. Pure.
 */
export function applyKey(
  value: string,
  selection: Selection,
  action: Exclude<KeyAction, { type: 'enter' }>,
  maxLength = Number.POSITIVE_INFINITY,
): { value: string; caret: number } {
  const start = Math.max(0, Math.min(selection.start, value.length));
  const end = Math.max(start, Math.min(selection.end, value.length));
  switch (action.type) {
    case 'clear':
      return { value: '', caret: 0 };
    case 'backspace': {
      if (end > start) return { value: value.slice(0, start) + value.slice(end), caret: start };
      if (start === 0) return { value, caret: 0 };
      // Never split a surrogate pair (emoji are not offered, but a pasted value may hold one).
      const cut = start >= 2 && /[\uDC00-\uDFFF]/.test(value[start - 1] ?? '') ? 2 : 1;
      return { value: value.slice(0, start - cut) + value.slice(end), caret: start - cut };
    }
    case 'insert': {
      const room = maxLength - (value.length - (end - start));
      const text = action.text.slice(0, Math.max(0, room));
      return { value: value.slice(0, start) + text + value.slice(end), caret: start + text.length };
    }
  }
}
