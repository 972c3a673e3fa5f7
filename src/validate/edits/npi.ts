/**
 * NPI check digit: the Luhn formula (ISO/IEC 7812) applied to the 10-digit NPI
 * prefixed with 80840, the health-industry card issuer prefix (CMS, "Requirements
 * for Check Digit Calculation of the National Provider Identifier").
 */
export function isValidNpi(npi: string): boolean {
  if (!/^[12]\d{9}$/.test(npi)) return false;
  const digits = `80840${npi}`;
  let sum = 0;
  // From the right: the check digit is not doubled, every second digit left of it is.
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** What is wrong with an NPI, in words, or undefined when it is valid (the message names the rule it breaks). */
export function npiProblem(npi: string): string | undefined {
  if (!/^\d{10}$/.test(npi)) return `is not 10 digits`;
  if (!/^[12]/.test(npi)) return `starts with ${npi[0]}: an NPI starts with 1 (individual) or 2 (organization)`;
  return isValidNpi(npi) ? undefined : 'fails the check digit (Luhn with prefix 80840)';
}

/** The check digit that makes the first nine digits a valid NPI (used by the sample generator). */
export function npiCheckDigit(first9: string): number {
  for (let d = 0; d <= 9; d++) if (isValidNpi(`${first9}${d}`)) return d;
  throw new Error(`no check digit for ${first9}`);
}
