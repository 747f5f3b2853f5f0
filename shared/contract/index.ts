export * from './envelope';
export * from './issues';
export * from './domain';
export * from './limits';
export * from './requests';
export * from './events';
export * from './wire';
export * from './limits';
export { documentSizeProblem } from './bounded';
