/**
 * One animation frame drives the redraws of every chart on the page. Streaming redraws (a live
 * batch appended, a zoom) go one chart per frame, in the order they were asked for (a chart asked
 * for again while it waits keeps its place), and each chart at most every STREAMING_INTERVAL_MS.
 * Four live charts fed at 25 Hz then each redraw at 10 Hz, and a frame carries at most one chart's
 * redraw, never four: measured in Chromium on a busy 2-core machine, that keeps the Live page at
 * its frame rate while 2,000 samples/s arrive (`workbench bench --only live.chart`).
 *
 * A chart whose whole data set was replaced (a stored run opened, a preview recomputed) asks with
 * `wholeData`: all such redraws happen in the next frame, together — nothing is streaming then,
 * and the person waits for the picture, not for a smooth frame rate.
 */
export type Draw = (frameTime: number) => void;

/** A chart's streaming redraws are at least this far apart (ms): 10 Hz. */
export const STREAMING_INTERVAL_MS = 100;

const whole = new Set<Draw>();
const streaming = new Set<Draw>();
/** When each chart last drew (its frame's time). */
const lastDrawn = new WeakMap<Draw, number>();
let frame = 0;

export function requestDraw(draw: Draw, wholeData = false): void {
  if (wholeData) {
    streaming.delete(draw);
    whole.add(draw);
  } else if (!whole.has(draw)) streaming.add(draw);
  if (frame === 0) frame = requestAnimationFrame(run);
}

export function cancelDraw(draw: Draw): void {
  whole.delete(draw);
  streaming.delete(draw);
}

function run(frameTime: number): void {
  frame = 0;
  try {
    if (whole.size > 0) {
      const now = [...whole];
      whole.clear();
      for (const draw of now) {
        lastDrawn.set(draw, frameTime);
        draw(frameTime);
      }
    } else {
      for (const next of streaming) {
        if (frameTime - (lastDrawn.get(next) ?? -Infinity) < STREAMING_INTERVAL_MS) continue;
        streaming.delete(next);
        lastDrawn.set(next, frameTime);
        next(frameTime);
        break;
      }
    }
  } finally {
    if (whole.size + streaming.size > 0 && frame === 0) frame = requestAnimationFrame(run);
  }
}
