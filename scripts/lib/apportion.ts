/**
 * Splits an integer total across weights so the parts are integers that add up exactly
 * (largest-remainder method). Ties go to the lower index, so results are deterministic.
 * Optional caps bound each part; the excess flows to the uncapped parts.
 */
export function apportion(
  total: number,
  weights: readonly number[],
  caps?: readonly number[],
): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error(`apportion: bad total ${total}`);
  const n = weights.length;
  const parts = new Array<number>(n).fill(0);
  if (total === 0) return parts;
  if (caps) {
    const capacity = caps.reduce((s, c) => s + c, 0);
    if (capacity < total) throw new Error(`apportion: caps hold ${capacity} < ${total}`);
  }
  let remaining = total;
  const hasRoom = (i: number) => (parts[i] as number) < (caps?.[i] ?? Infinity);
  let open = weights.map((_, i) => i).filter((i) => (weights[i] as number) > 0 && hasRoom(i));
  while (remaining > 0) {
    // Positive weights exhausted by caps: spread the rest evenly over what still has room.
    if (open.length === 0) open = weights.map((_, i) => i).filter(hasRoom);
    const weightSum = open.reduce((s, i) => s + Math.max(weights[i] as number, 0), 0);
    const share = (i: number) =>
      weightSum > 0
        ? (remaining * Math.max(weights[i] as number, 0)) / weightSum
        : remaining / open.length;
    const floors = open.map((i) => Math.floor(share(i)));
    let given = floors.reduce((s, f) => s + f, 0);
    const order = open
      .map((i, k) => ({ i, k, rem: share(i) - (floors[k] as number) }))
      .sort((a, b) => b.rem - a.rem || a.i - b.i);
    const add = new Array<number>(open.length).fill(0);
    for (const { k } of order) {
      if (given >= remaining) break;
      add[k] = 1;
      given++;
    }
    let overflow = 0;
    const stillOpen: number[] = [];
    open.forEach((i, k) => {
      const want = (parts[i] as number) + (floors[k] as number) + (add[k] as number);
      const cap = caps?.[i] ?? Infinity;
      if (want >= cap) {
        overflow += want - cap;
        parts[i] = cap;
      } else {
        parts[i] = want;
        stillOpen.push(i);
      }
    });
    remaining = overflow;
    open = stillOpen;
  }
  return parts;
}
