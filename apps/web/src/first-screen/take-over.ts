import { FIRST_SCREEN_ID, FIRST_SCREEN_INPUT_ID } from './markup';

/**
 * The prerendered first screen (markup.ts), handed over to the app. The finder reads what the
 * officer typed into it while the scripts loaded and takes the focus and caret with it; every
 * other screen only removes it (a redirect to the login page, say).
 */
const input = () => document.getElementById(FIRST_SCREEN_INPUT_ID) as HTMLInputElement | null;

/** What was typed into the prerendered box, or null when the page had none. */
export function firstScreenText(): string | null {
  return input()?.value ?? null;
}

/** Removes the prerendered screen; says what was typed and whether the box had the focus. */
export function releaseFirstScreen(): { text: string; focused: boolean } | null {
  const overlay = document.getElementById(FIRST_SCREEN_ID);
  if (!overlay) return null;
  const box = input();
  const taken = box ? { text: box.value, focused: document.activeElement === box } : null;
  overlay.remove();
  return taken;
}
