// Keeps a container's children in a given order with the fewest DOM moves. Elements already in
// the right order relative to each other (a longest increasing run of their old positions) stay
// where they are; only the others move. The obvious loop ("is child i the right one? if not,
// insert it here") moves every element between a host's old and new place: one host dropping
// from the top of a table sorted by CPU to the bottom moved all the rows in between, on every
// live update. And when nothing changed, nothing is touched at all.

/**
 * Positions (into `seq`) of one longest strictly increasing subsequence of `seq`, ignoring
 * negative entries (elements that are new). O(n log n).
 */
export function longestIncreasing(seq) {
  const tails = []; // tails[k]: position in seq of the smallest end of an increasing run of length k + 1
  const before = new Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i];
    if (v < 0) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) before[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const run = new Array(tails.length);
  for (let k = tails.length - 1, i = tails[k]; k >= 0; k--, i = before[i]) run[k] = i;
  return run;
}

/** The children of one container, each the element of a key (a host id). */
export class KeyedList {
  constructor(container) {
    this.container = container;
    this.keys = []; // in the container's order
    this.elements = new Map(); // key → element
  }

  /**
   * Makes the container hold exactly `elementOf(key)` for each of these keys, in this order;
   * elements of keys no longer listed are removed.
   * @returns how many elements were inserted or moved
   */
  place(keys, elementOf) {
    const elements = keys.map(elementOf);
    if (keys.length === this.keys.length && keys.every((key, i) => key === this.keys[i] && elements[i] === this.elements.get(key))) return 0;
    const wanted = new Map(keys.map((key, i) => [key, elements[i]]));
    const oldIndex = new Map();
    this.keys.forEach((key, i) => {
      const element = this.elements.get(key);
      if (wanted.get(key) === element) oldIndex.set(key, i);
      else element.remove();
    });
    const keep = new Set(longestIncreasing(keys.map((key) => oldIndex.get(key) ?? -1)));
    let next = null;
    let moves = 0;
    for (let i = keys.length - 1; i >= 0; i--) {
      if (!keep.has(i)) {
        this.container.insertBefore(elements[i], next);
        moves++;
      }
      next = elements[i];
    }
    this.keys = keys.slice();
    this.elements = wanted;
    return moves;
  }
}
