import { FIRST_SCREEN_ID, FIRST_SCREEN_INPUT_ID } from './markup';

/**
 * The prerendered first screen (markup.ts), handed over to the app. The finder reads what the
 * officer typed into it while the scripts loaded and takes the focus and selection with it;
 * every other screen only removes it (a redirect to the login page, say).
 */
const input = () => document.getElementById(FIRST_SCREEN_INPUT_ID) as HTMLInputElement | null;

/** What the officer typed into the prerendered box; null when nothing (the URL's ?q= then). */
export function firstScreenText(): string | null {
  const box = input();
  return box && box.value !== box.defaultValue ? box.value : null;
}

export interface TakenOver {
  text: string;
  /** Whether the officer had changed the box (its text is theirs, not the URL's). */
  typed: boolean;
  /** The box's selection, when it had the focus. */
  selection: { start: number; end: number } | null;
}

/**
 * Removes the prerendered screen and says what it held. While an input method is composing
 * (pinyin half-typed), waits for the composition to end first: taking the box away then would
 * keep the raw letters and end the composition. The boot script marks it (`data-composing`).
 */
export function releaseFirstScreen(onReleased?: (taken: TakenOver | null) => void): void {
  const overlay = document.getElementById(FIRST_SCREEN_ID);
  if (!overlay) return onReleased?.(null);
  const box = input();
  if (box?.dataset.composing) {
    box.addEventListener('compositionend', () => releaseFirstScreen(onReleased), { once: true });
    return;
  }
  const taken = box
    ? {
        text: box.value,
        typed: box.value !== box.defaultValue,
        selection:
          document.activeElement === box
            ? {
                start: box.selectionStart ?? box.value.length,
                end: box.selectionEnd ?? box.value.length,
              }
            : null,
      }
    : null;
  overlay.remove();
  onReleased?.(taken);
}
