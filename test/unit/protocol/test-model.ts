/**
 * Test-only device models implementing shared/device's DeviceModel. They are deliberately simple
 * and deterministic, not the real physics (the real models live in shared/device): the protocol
 * tests need to know exactly what a model will do.
 */
import type { DeviceModel, ReadResult } from '../../../shared/device/model';

/** Each pulse at or above `threshold` volts moves g a fraction `step` toward g_min; g relaxes back to 1 with time constant tau. */
export class TestModel implements DeviceModel {
  readonly kind = 'test';
  readonly g0: number;
  g = 1;
  private readonly step: number;
  private readonly tau: number;
  private readonly threshold: number;

  constructor(options: { g0?: number; step?: number; tau?: number; threshold?: number } = {}) {
    this.g0 = options.g0 ?? 1e-5;
    this.step = options.step ?? 0.05;
    this.tau = options.tau ?? 150;
    this.threshold = options.threshold ?? 0;
  }

  pulse(amplitude: number, _width: number): void {
    if (Math.abs(amplitude) >= this.threshold) this.g -= this.step * (this.g - 0.01);
  }

  relax(dt: number): void {
    this.g = 1 + (this.g - 1) * Math.exp(-dt / this.tau);
  }

  read(voltage: number): ReadResult {
    return { current: this.g0 * this.g * voltage, conductance: this.g0 * this.g };
  }

  conductance(): number {
    return this.g0 * this.g;
  }

  state(): Readonly<Record<string, number>> {
    return { g: this.g };
  }
}

export type Call = { call: 'pulse'; amplitude: number; width: number } | { call: 'relax'; dt: number } | { call: 'read'; voltage: number };

/** A model whose conductance never changes and that records every call made to it. */
export class RecordingModel implements DeviceModel {
  readonly kind = 'recording';
  readonly calls: Call[] = [];
  constructor(readonly g0 = 1e-5) {}
  pulse(amplitude: number, width: number): void {
    this.calls.push({ call: 'pulse', amplitude, width });
  }
  relax(dt: number): void {
    this.calls.push({ call: 'relax', dt });
  }
  read(voltage: number): ReadResult {
    this.calls.push({ call: 'read', voltage });
    return { current: this.g0 * voltage, conductance: this.g0 };
  }
  conductance(): number {
    return this.g0;
  }
  state(): Readonly<Record<string, number>> {
    return {};
  }
}
