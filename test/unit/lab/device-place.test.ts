/** How a lab run's device reads in the Lab view and `workbench runs --source lab`. */
import { describe, expect, it } from 'vitest';
import { devicePlaceText, type DevicePlace } from '../../../shared/lab/device-place';

const crossbar: DevicePlace = { name: 'WL2/BL5', wordLine: 2, bitLine: 5, chipName: 'X1', chipRows: 8, chipCols: 8, sampleName: 'W17', sampleKind: 'wafer' };

describe('devicePlaceText', () => {
  it('names sample › chip (size) › device (word line, bit line) in full', () => {
    expect(devicePlaceText(crossbar)).toBe('W17 › X1 (8×8) › WL2/BL5 (word line 2, bit line 5)');
  });
  it('short: no chip size; the coordinates only when the name does not say them', () => {
    expect(devicePlaceText(crossbar, { short: true })).toBe('W17 › X1 › WL2/BL5');
    expect(devicePlaceText({ ...crossbar, name: 'probe A' }, { short: true })).toBe('W17 › X1 › probe A (WL2/BL5)');
  });
  it('a chip of single devices has no coordinates; a virtual device is its name when short', () => {
    const single = { ...crossbar, name: 'D3', wordLine: null, bitLine: null, chipRows: null, chipCols: null };
    expect(devicePlaceText(single)).toBe('W17 › X1 › D3');
    const virtual = { ...single, name: 'Simulated ideal', chipName: 'Simulated', sampleName: 'Virtual devices', sampleKind: 'virtual' };
    expect(devicePlaceText(virtual, { short: true })).toBe('Simulated ideal');
    expect(devicePlaceText(virtual)).toBe('Virtual devices › Simulated › Simulated ideal');
  });
  it('no device, or one whose record is not in the lab', () => {
    expect(devicePlaceText(null)).toBe('');
    expect(devicePlaceText({ ...crossbar, name: null, chipName: null, sampleName: null })).toBe('device not published');
  });
});
