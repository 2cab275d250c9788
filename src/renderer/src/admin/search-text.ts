/** Text as the manager screens search it: "Łódź" is found by typing "lodz", "Europe/Dublin" by "europe dublin". */

/** Lower case, without accents (Polish ł included), underscores and slashes as spaces. Pure. */
export function searchable(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/[_/]/g, ' ')
    .toLowerCase();
}
