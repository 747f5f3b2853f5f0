/** Serial-line settings live in shared/ (one source for the contract, this service and the renderer). */
export {
  DEFAULT_SERIAL_SETTINGS,
  TERMINATOR_BYTES,
  resolveSerialSettings as resolveSettings,
  type LineTerminator,
  type Parity,
  type SerialSettings,
} from '../../../shared/instruments/serial-settings';
