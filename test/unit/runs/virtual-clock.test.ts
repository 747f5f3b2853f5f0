import { describe, expect, it } from 'vitest';
import { virtualClock } from '../../fixtures/virtual-clock';

describe('the virtual clock the engine tests run on', () => {
  it('fires timers in time order, jumping the clock to each, and never fires a cleared one', async () => {
    const c = virtualClock();
    const fired: [string, number][] = [];
    c.timers.set(() => fired.push(['b', c.nowMs()]), 200);
    const cleared = c.timers.set(() => fired.push(['never', c.nowMs()]), 100);
    c.timers.set(() => {
      fired.push(['a', c.nowMs()]);
      c.timers.set(() => fired.push(['a+150', c.nowMs()]), 150);
    }, 50);
    c.timers.set(() => fired.push(['a2', c.nowMs()]), 50);
    c.timers.clear(cleared);
    await new Promise<void>((resolve) => c.timers.set(resolve, 1000));
    expect(fired).toEqual([
      ['a', 50],
      ['a2', 50],
      ['b', 200], // due at the same time: the one set first fires first
      ['a+150', 200],
    ]);
    expect(c.now()).toBe(1);
  });

  it('lets real I/O in between: a real timer set before a long virtual wait still fires first', async () => {
    const c = virtualClock();
    const order: string[] = [];
    const real = new Promise<void>((resolve) => setImmediate(() => (order.push('real'), resolve())));
    const virtual = new Promise<void>((resolve) => c.timers.set(() => (order.push('virtual'), resolve()), 3_600_000));
    await Promise.all([real, virtual]);
    expect(order).toEqual(['real', 'virtual']);
  });
});
