/**
 * Which zone times are shown in: the viewer's own (default) or UTC, remembered per browser. The
 * formatters read it when a caller names no zone, so every time on screen follows one switch.
 */
export type TimeZoneChoice = 'local' | 'utc';

const STORAGE_KEY = 'tooltrace.timeZone';

function stored(): TimeZoneChoice {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local'; // storage blocked
  }
}

let current: TimeZoneChoice = stored();

export function timeZoneChoice(): TimeZoneChoice {
  return current;
}

export function setTimeZoneChoice(choice: TimeZoneChoice): void {
  current = choice;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, choice);
  } catch {
    // storage blocked: the choice lasts for this page
  }
}

/** The zone to pass to Intl: undefined means the viewer's own. */
export function displayTimeZone(): string | undefined {
  return current === 'utc' ? 'UTC' : undefined;
}

/** `UTC`, or the local zone with its offset (`GMT+1`), for the label next to the times. */
export function timeZoneLabel(choice: TimeZoneChoice, at: Date = new Date(), timeZone?: string): string {
  if (choice === 'utc') return 'UTC';
  const offset =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `Local ${offset}`.trim();
}
