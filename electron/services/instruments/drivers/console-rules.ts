/**
 * What a command typed in the console does, per command set: whether it has a reply to wait for,
 * and whether it touches sources or protections (then the workbench mirrors its limits to the
 * instrument again, which also switches the output off).
 */
export interface ConsoleRules {
  expectsReply(command: string): boolean;
  touchesSafety(command: string): boolean;
}

/** SCPI (IEEE 488.2): a query has a '?' in its header; sources, outputs, limits and resets change the safety state. */
export const SCPI_CONSOLE: ConsoleRules = {
  expectsReply: (command) => command.split(';').some((part) => /^\s*[*:A-Za-z][^\s]*\?/.test(part)),
  touchesSafety: (command) =>
    command.split(';').some((part) => {
      const header = part.trim().split(/\s+/)[0]!.replace(/^:/, '').toUpperCase();
      if (header.endsWith('?')) return false;
      return /^(\*RST|\*RCL|SYST(EM)?:PRES|SOUR|OUTP|SENS(E)?(\d)?:CURR(ENT)?(:DC)?:PROT|SENS(E)?(\d)?:VOLT(AGE)?(:DC)?:PROT)/.test(header);
    }),
};

/** TSP: print() and printbuffer() answer; anything assigning the source or resetting touches it. */
export const TSP_CONSOLE: ConsoleRules = {
  expectsReply: (command) => /\bprint(buffer)?\s*\(/.test(command) || command.trim() === '*IDN?',
  touchesSafety: (command) => /\bsmu[ab]?\.(source|reset|abort)|\breset\s*\(|PulseV|\bsmu\.source/.test(command),
};

/** The pulse-board protocol: every command has one reply; LIMITS and RESET change what it enforces. */
export const BOARD_CONSOLE: ConsoleRules = {
  expectsReply: () => true,
  touchesSafety: (command) => /^\s*(LIMITS|RESET)\b/i.test(command),
};
