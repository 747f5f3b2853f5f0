import type { Device, DeviceReading, DeviceSnapshot, PulseResult } from '../../../shared/device/device';

/**
 * How a user steers an RL run on a device between episodes: pause (output off until resumed),
 * stop (finish the episode in flight, then end — resumable), abort (end now: the episode in flight
 * is lost, everything before it is kept). A physical episode lasts seconds to minutes, so the
 * loop asks the gate at every episode boundary, and abort also cuts a device wait short.
 */
export type GateState = 'running' | 'paused';

export class StopRequested extends Error {
  override readonly name = 'StopRequested';
  constructor() {
    super('stopped by the user after the episode in flight');
  }
}

export class EpisodeGate {
  private readonly controller = new AbortController();
  private stopAsked = false;
  private paused = false;
  private wake: (() => void) | null = null;

  constructor(private readonly onState: (state: GateState) => void = () => undefined) {}

  /** Aborts: pending device waits end at once, the loop ends at its next device operation. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get state(): GateState {
    return this.paused ? 'paused' : 'running';
  }

  get stopRequested(): boolean {
    return this.stopAsked;
  }

  pause(): void {
    if (this.paused || this.signal.aborted || this.stopAsked) return;
    this.paused = true;
    this.onState('paused');
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.onState('running');
    this.release();
  }

  stop(): void {
    this.stopAsked = true;
    this.release();
  }

  abort(): void {
    this.controller.abort();
    this.release();
  }

  /**
   * Called between episodes: throws when stopped or aborted; while paused, switches the output off
   * (through `whilePaused`) and waits to be resumed.
   */
  async between(whilePaused: () => Promise<void>): Promise<void> {
    this.check();
    if (!this.paused) return;
    await whilePaused();
    while (this.paused && !this.stopAsked && !this.signal.aborted) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    this.check();
  }

  private check(): void {
    this.signal.throwIfAborted();
    if (this.stopAsked) throw new StopRequested();
  }

  private release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/**
 * The device as the RL loop sees it under a gate: every operation refuses once aborted, and a
 * wait (a device relaxing for many seconds) ends as soon as the run is aborted.
 */
export class GatedDevice implements Device {
  readonly kind: Device['kind'];

  constructor(
    private readonly inner: Device,
    private readonly signal: AbortSignal,
  ) {
    this.kind = inner.kind;
  }

  snapshot(): DeviceSnapshot {
    return this.inner.snapshot();
  }
  now(): number {
    return this.inner.now();
  }
  pulse(amplitude: number, width: number): Promise<PulseResult> {
    this.signal.throwIfAborted();
    return this.inner.pulse(amplitude, width);
  }
  read(voltage: number): Promise<DeviceReading> {
    this.signal.throwIfAborted();
    return this.inner.read(voltage);
  }
  wait(seconds: number): Promise<void> {
    this.signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(this.signal.reason instanceof Error ? this.signal.reason : new DOMException('aborted', 'AbortError'));
      this.signal.addEventListener('abort', onAbort, { once: true });
      this.inner.wait(seconds).then(
        () => (this.signal.removeEventListener('abort', onAbort), resolve()),
        (e: unknown) => (this.signal.removeEventListener('abort', onAbort), reject(e)),
      );
    });
  }
  outputOff(): Promise<void> {
    return this.inner.outputOff();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
