/**
 * Sorts a short array in place by insertion, stably, as `Array.prototype.sort` with the same
 * comparator would. For the hot path's lists of a few elements (a match's word positions, a
 * mention's candidates, a sentence's findings): the built-in sort allocates its work arrays
 * on every call, which cost more than sorting a handful of elements. Longer lists go to the
 * built-in sort (also stable: the same order either way).
 */
export function sortSmall<T>(a: T[], compare: (x: T, y: T) => number): T[] {
  if (a.length > 16) return a.sort(compare);
  for (let i = 1; i < a.length; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && compare(a[j]!, x) > 0) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
  return a;
}
