/**
 * Every sentence of an error catalog, for checking that a production bundle ships none: each message
 * template's own prose (cut where its details go; runs of three words or more) and each code's
 * description. Takes the protocol's tables as arguments (`errorMessages`, `errorCatalog`), so that
 * this package depends on nothing of the kit.
 *
 * @example
 * ```ts
 * const sentences = catalogSentences(errorMessages, errorCatalog)
 * expect(sentences.filter((sentence) => bundle.includes(sentence))).toEqual([])
 * ```
 */
export function catalogSentences(templates: Readonly<Record<string, unknown>>, catalog: Readonly<Record<string, { message: string }>>): string[] {
  const marker = '<<>>';
  const details = new Proxy({}, { get: () => marker });
  const prose = (template: (details: unknown) => string): string[] =>
    template(details)
      .split(/"?<<>>"?/)
      .map((part) => part.trim())
      .filter((part) => part.split(' ').length >= 3);
  return [...Object.values(templates).flatMap((template) => prose(template as (details: unknown) => string)), ...Object.values(catalog).map((entry) => entry.message)];
}
