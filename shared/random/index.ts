export { createRng, type Rng, type RngSnapshot } from './rng';
export type { Seed } from './seed';
export { xoshiro128Next, type Xoshiro128State } from './xoshiro128';
