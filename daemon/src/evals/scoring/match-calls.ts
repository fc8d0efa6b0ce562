import type { ExpectedCall } from "@vault-tuner/shared";

/**
 * Pairs expected calls with actual ones. `sequence`: the expected calls must appear in order (other
 * calls may come between); the earliest fitting call is taken, which finds a pairing whenever one
 * exists. `any`: a maximum bipartite matching (BFCL matches parallel calls in any order).
 * Returns, for each expected call, the index of its actual call or -1.
 */
export function matchCalls<T>(
  expected: ExpectedCall[],
  actual: T[],
  fits: (expected: ExpectedCall, actual: T) => boolean,
  order: "sequence" | "any",
): number[] {
  if (order === "sequence") {
    const pairs: number[] = [];
    let from = 0;
    for (const want of expected) {
      let found = -1;
      for (let index = from; index < actual.length; index++) {
        if (fits(want, actual[index] as T)) {
          found = index;
          break;
        }
      }
      pairs.push(found);
      if (found >= 0) from = found + 1;
    }
    return pairs;
  }
  const ownerOf = new Array<number>(actual.length).fill(-1);
  const tryAssign = (want: number, seen: boolean[]): boolean => {
    for (let index = 0; index < actual.length; index++) {
      if (seen[index] || !fits(expected[want] as ExpectedCall, actual[index] as T)) continue;
      seen[index] = true;
      if (ownerOf[index] === -1 || tryAssign(ownerOf[index] as number, seen)) {
        ownerOf[index] = want;
        return true;
      }
    }
    return false;
  };
  for (const want of expected.keys()) tryAssign(want, new Array<boolean>(actual.length).fill(false));
  return expected.map((_, want) => ownerOf.indexOf(want));
}
