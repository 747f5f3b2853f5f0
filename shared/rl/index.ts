// Reinforcement-learning experiments whose learning rate can come from a memristor's conductance.
export type { Env, StepResult } from './env/types';
export { ACTIONS, ACTION_COUNT, type Cell, type ChangeSchedule, type DynamicMazeDefinition, type MazeDefinition, type MazeRewards, type MazeVariant } from './env/maze-types';
export { applyVariant, compileLayout, greedyPathLength, shortestPathLength, type CompiledLayout } from './env/layout';
export { MazeEnv } from './env/maze-env';
export { layoutIndexOfPhase, phaseAt, phaseStarts } from './env/schedule';
export { dynamicMazeProblems, layoutProblems, variantProblems, type MazeProblem } from './env/validate';
export { epsilonAt, type AgentSettings, type Algorithm, type EpsilonSchedule } from './agent/settings';
export { TabularAgent } from './agent/tabular-agent';
export { runEpisode, type EpisodeStats } from './agent/episode';
export type { EpisodeOutcome, LearningRateStrategy } from './lr/types';
export { scheduleAlpha, ScheduleStrategy, type ScheduleConfig } from './lr/schedules';
export { DeviceLearningRule, type ConductanceMap, type ConductanceRange, type DevicePlan, type DeviceRuleConfig, type SpikeRule } from './lr/device-rule';
export { DeviceDrivenStrategy } from './lr/device-strategy';
export { AsyncDeviceLearningRate } from './lr/async-device';
export { createStrategy, deviceRuleFor, resolveDevicePreset, type DeviceStrategyConfig, type StrategyConfig, type StrategyContext } from './lr/create';
export { phaseIterations, phaseRegret, phaseSettle, type PhaseResult } from './metrics/convergence';
export { BOOTSTRAP_RESAMPLES, pairedReductionInterval } from './metrics/bootstrap';
export { SuccessGatedStrategy, type SuccessGatedConfig } from './lr/success-gated';
export { DECAY_FAMILIES, isOracleFamily, strategyFamily } from './experiment/families';
export { quartiles, reductionPercent, type Quartiles } from './metrics/stats';
export {
  DEFAULT_PULSE,
  EXPERIMENT_SCHEMA_VERSION,
  agentSchema,
  environmentKinds,
  environmentSchema,
  experimentSchema,
  mazeSchema,
  strategyKinds,
  strategySchema,
  variantSchema,
  type DeviceStrategySpec,
  type EnvironmentSpec,
  type Experiment,
  type ExperimentInput,
  type StrategySpec,
} from './experiment/schema';
export { parseExperiment, parseExperimentText, summariseProblems, type ExperimentParseResult, type ExperimentProblem } from './experiment/parse';
export { createEnvironment, episodesOf, experimentJobs, experimentSeeds, JobInProgress, jobSeeds, runJob, type EpisodeTrace, type EpisodeValues, type Job, type JobCheckpoint, type RunResult } from './experiment/run';
export { compareResults, HEADLINE_METRIC, HEADLINE_METRIC_TITLE, type Bound, type EnvironmentComparison, type Figures, type Reduction, type Reference, type StrategyRow } from './experiment/compare';
export {
  applyChoices,
  applySettings,
  candidateSettings,
  chooseBest,
  describeStrategy,
  overlappingSeeds,
  scoreCandidates,
  settingOf,
  tuningCandidates,
  type Candidate,
  type Dimension,
  type ScoredCandidate,
  type Tuning,
} from './experiment/tuning';
export { experimentWorkProblem, stepsPerJob, tuningWorkProblem, worstCaseSteps, type WorkProblem } from './experiment/work-bound';
