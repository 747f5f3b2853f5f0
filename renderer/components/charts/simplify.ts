/**
 * Simplification of a polyline for drawing (Ramer–Douglas–Peucker, with the distance of a point to
 * the segment — not the infinite line — so loops and turns back are safe): of the points, keep
 * those without which some point would end up farther than `tolerance` from the line through the
 * kept ones. The caller passes screen coordinates (pixels), so a tolerance below a pixel changes
 * nothing anyone can see, while a smooth stretch of an I–V loop — an ohmic LRS branch, the flat
 * HRS branch on a linear current axis — is drawn with a few points instead of hundreds.
 *
 * The first and last point of every stretch of finite points are kept, and so is every point with a
 * NaN coordinate (it breaks the line). One pass with an explicit stack; no recursion.
 */
export function simplifyPolyline(x: ArrayLike<number>, y: ArrayLike<number>, tolerance: number): Uint8Array {
  const n = Math.min(x.length, y.length);
  const keep = new Uint8Array(n);
  const tol2 = tolerance * tolerance;
  const stack: number[] = [];
  let start = 0;
  while (start < n) {
    if (!finite(x[start]!, y[start]!)) {
      keep[start++] = 1;
      continue;
    }
    let end = start;
    while (end + 1 < n && finite(x[end + 1]!, y[end + 1]!)) end++;
    keep[start] = 1;
    keep[end] = 1;
    if (end - start > 1) stack.push(start, end);
    while (stack.length > 0) {
      const b = stack.pop()!;
      const a = stack.pop()!;
      // segmentDistance2, inlined with the segment's own terms computed once: this loop is most of the work.
      const ax = x[a]!;
      const ay = y[a]!;
      const dx = x[b]! - ax;
      const dy = y[b]! - ay;
      const len2 = dx * dx + dy * dy;
      const inv = len2 > 0 ? 1 / len2 : 0;
      let worst = -1;
      let far = tol2;
      for (let k = a + 1; k < b; k++) {
        const px = x[k]! - ax;
        const py = y[k]! - ay;
        let t = (px * dx + py * dy) * inv;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = t * dx - px;
        const ey = t * dy - py;
        const d = ex * ex + ey * ey;
        if (d > far) {
          far = d;
          worst = k;
        }
      }
      if (worst < 0) continue;
      keep[worst] = 1;
      if (worst - a > 1) stack.push(a, worst);
      if (b - worst > 1) stack.push(worst, b);
    }
    start = end + 1;
  }
  return keep;
}

function finite(x: number, y: number): boolean {
  return x === x && y === y && x !== Infinity && x !== -Infinity && y !== Infinity && y !== -Infinity;
}

/** The squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
export function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}
