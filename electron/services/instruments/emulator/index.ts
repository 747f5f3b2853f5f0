export { startEmulator, type Emulator, type EmulatorOptions, type Exchange } from './emulator';
export { PrologixController, PROLOGIX_VERSION } from './prologix';
export { DeviceUnderTest, type EmulatedModel, type Measurement, type TimeMode } from './dut';
export { GARBLE_JUNK, garbleLine, type Faults } from './faults';
export { createPtyPair, findSocat, type PtyPair, type PtyPairOptions } from './pty-pair';
export { loadPreset, modelFromPreset } from './model-source';
