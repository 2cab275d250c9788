/** The on-screen keyboard: the keys, a field that brings them up, and the pure editing rules. */
export { OnScreenKeyboard, type OnScreenKeyboardProps } from './OnScreenKeyboard';
export { KeyboardTextField, type KeyboardTextFieldProps } from './KeyboardTextField';
export { applyKey, type KeyAction, type KeyboardMode } from './keyboard-layout';
