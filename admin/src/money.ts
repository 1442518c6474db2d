/** Amounts as the server keeps them (minor units: cents) and as people read and type them (4.99). */

/** How many minor units a currency has after the point: 2 for EUR and USD, 0 for JPY. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 499 as "€4.99"; with `whole`, a round amount loses its cents ("€2" rather than "€2.00"). */
export function formatMoney(minor: number, currency: string, { whole = false } = {}): string {
  const major = minor / 10 ** minorDigits(currency);
  const round = whole && Number.isInteger(major);
  try {
    return new Intl.NumberFormat(undefined, {
      style: "currency",
      currency,
      ...(round ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    }).format(major);
  } catch {
    return `${major.toFixed(minorDigits(currency))} ${currency}`;
  }
}

/** "4.99" as 499 (a comma works as the point too); undefined when it is not an amount. */
export function parseMoney(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const cleaned = text.trim().replace(",", ".");
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  if (!pattern.test(cleaned)) return undefined;
  return Math.round(Number(cleaned) * 10 ** digits);
}

/** 499 as "4.99", for an input to show. */
export const moneyInput = (minor: number, currency: string): string =>
  (minor / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));
