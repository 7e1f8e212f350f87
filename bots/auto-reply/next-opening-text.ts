/**
 * "Monday, 09:00" in the customer's language and the office's time zone (for the out-of-hours
 * and queue texts). The time zone is named too when it is not obvious from the language alone.
 */
export function nextOpeningText(at: Date | null, language: string, timeZone: string): string | null {
  if (!at) return null;
  const format = new Intl.DateTimeFormat(language, { timeZone, weekday: 'long', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  return format.format(at);
}
