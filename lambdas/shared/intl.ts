/**
 * Intl formatters, built once per locale and options and then reused. A DateTimeFormat with a time
 * zone holds ICU data outside the JavaScript heap (about 32 kB each, measured), which the collector
 * does not see: building one per row made a 2,000-item results mail grow the process by 300 MB,
 * and each took 0.16 ms. The options come from code and the configured time zone, so the cache stays small;
 * it is emptied should it ever pass {@link MAX_CACHED}.
 */
const MAX_CACHED = 256;
const dates = new Map<string, Intl.DateTimeFormat>();
const numbers = new Map<string, Intl.NumberFormat>();

function cached<F>(cache: Map<string, F>, locale: string, options: object, make: () => F): F {
  const key = `${locale} ${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = make();
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, f);
  }
  return f;
}

/** `new Intl.DateTimeFormat(locale, options)`, shared: the same locale and options give the same formatter. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(dates, locale, options, () => new Intl.DateTimeFormat(locale, options));
}

/** `new Intl.NumberFormat(locale, options)`, shared like {@link dateTimeFormat}. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(numbers, locale, options, () => new Intl.NumberFormat(locale, options));
}
