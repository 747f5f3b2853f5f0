import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseProtocolJson, validateProtocol, type Problem } from '../../../shared/protocol';
import { doc } from './helpers';

function problems(input: unknown, options: Parameters<typeof validateProtocol>[1] = {}): Problem[] {
  const result = validateProtocol(input, options);
  if (result.ok) throw new Error('expected problems, the document is valid');
  return result.problems;
}

function at(ps: Problem[], path: string): string[] {
  return ps.filter((p) => p.path === path).map((p) => p.message);
}

const spikes = { kind: 'train', count: 100, amplitude: '2 V', width: '10 ms', period: '1 s', read: true };

describe('validateProtocol: values and normalisation', () => {
  it('normalises values with units to numbers in SI base units', () => {
    const result = validateProtocol(doc([spikes, { kind: 'wait', duration: '10 min', readEvery: '10 s' }], { read: { voltage: '100 mV', integration: '2 ms' } }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.blocks).toEqual([
      { kind: 'train', count: 100, amplitude: 2, width: 0.01, period: 1, read: true },
      { kind: 'wait', duration: 600, readEvery: 10 },
    ]);
    expect(result.document.read).toEqual({ voltage: 0.1, integration: 0.002 });
    expect(result.limits).toEqual(DEFAULT_LIMITS);
  });

  it('reports a bad value with its path and a sentence', () => {
    const ps = problems(doc([{ kind: 'read' }, { kind: 'read' }, { kind: 'repeat', times: 2, body: [{ kind: 'pulse', amplitude: 1, width: '-1 ms' }] }]));
    expect(ps).toEqual([{ path: 'blocks[2].body[0].width', code: 'range', message: 'width must be positive; got -1 ms' }]);
  });

  it('reports a document limit exceeded in the words of the issue', () => {
    const ps = problems(doc([{ kind: 'pulse', amplitude: '5 V', width: '1 ms' }], { limits: { maxVoltage: '3 V' } }));
    expect(at(ps, 'blocks[0].amplitude')).toEqual(['amplitude 5 V exceeds the limit of 3 V (max |V|)']);
    expect(ps[0]?.code).toBe('limit');
  });

  it('returns every problem at once', () => {
    const ps = problems({
      format: 'memristor-workbench/protocol',
      version: 1,
      blocks: [
        { kind: 'pulse', amplitude: '9 V', width: 'abc' },
        { kind: 'train', count: 0, amplitude: 1, width: '10 ms', period: '15 ms' },
        { kind: 'wait' },
      ],
    });
    expect(ps.map((p) => p.path)).toEqual(['name', 'blocks[0].amplitude', 'blocks[0].width', 'blocks[1].count', 'blocks[1].period', 'blocks[2].duration']);
    expect(at(ps, 'blocks[0].width')).toEqual(["width: expected a time such as '10 ms', got 'abc'"]);
    expect(at(ps, 'blocks[1].period')).toEqual(['duty cycle 66.7 % (10 ms pulses every 15 ms) exceeds the limit of 50 % (max duty cycle)']);
    expect(at(ps, 'blocks[2].duration')).toEqual(["missing duration: give a time such as '10 ms'"]);
  });

  it('explains wrong JSON types and units', () => {
    const ps = problems(doc([{ kind: 'pulse', amplitude: true, width: '1 Hz' }, { kind: 'train', count: '2.5', amplitude: 1, width: 1e-3, period: '1 s' }]));
    expect(at(ps, 'blocks[0].amplitude')).toEqual(["amplitude must be a voltage such as '1.5 V' or a number in volts; got true"]);
    expect(at(ps, 'blocks[0].width')[0]).toContain('write the period');
    expect(at(ps, 'blocks[1].count')).toEqual(['count must be a whole number of at least 1; got 2.5']);
  });

  it('accepts counts written as numeric strings', () => {
    const result = validateProtocol(doc([{ ...spikes, count: '100' }]));
    expect(result.ok && result.document.blocks[0]).toMatchObject({ count: 100 });
  });

  it('names unknown fields, with a suggestion when one is close', () => {
    const ps = problems(doc([{ kind: 'pulse', amplitude: 1, widht: '1 ms' }], { colour: 'red' }));
    expect(at(ps, 'blocks[0].widht')).toEqual(["a pulse block has no field 'widht' (did you mean 'width'?)"]);
    expect(at(ps, 'colour')[0]).toMatch(/^a protocol has no field 'colour'; it takes format, version/u);
    expect(at(ps, 'blocks[0].width')).toEqual(["missing width: give a time such as '10 ms'"]);
  });

  it('names unknown kinds, with a suggestion', () => {
    const ps = problems(doc([{ kind: 'pluse' }, { kind: 42 }, {}]));
    expect(at(ps, 'blocks[0].kind')).toEqual(["unknown block kind 'pluse'; did you mean 'pulse'?"]);
    expect(at(ps, 'blocks[1].kind')[0]).toContain('expected one of pulse, train, read, wait, ramp, repeat, sweep, until');
    expect(at(ps, 'blocks[2].kind')[0]).toMatch(/^missing kind/u);
  });

  it('requires unique ids', () => {
    const ps = problems(doc([{ kind: 'read', id: 'a' }, { kind: 'repeat', times: 1, body: [{ kind: 'read', id: 'a' }] }]));
    expect(ps).toEqual([{ path: 'blocks[1].body[0].id', code: 'duplicate-id', message: "id 'a' is already used by blocks[0]" }]);
  });

  it('rejects a zero read voltage (G = I/V)', () => {
    const ps = problems(doc([{ kind: 'read', voltage: 0 }]));
    expect(at(ps, 'blocks[0].voltage')).toEqual(['voltage must not be zero']);
  });
});

describe('validateProtocol: format, version and garbage', () => {
  it.each([[null], [undefined], ['a string'], [42], [true], [[]], [[1, 2]]])('answers %j with a problem at the document, never a throw', (input) => {
    const ps = problems(input);
    expect(ps).toHaveLength(1);
    expect(ps[0]?.path).toBe('');
    expect(ps[0]?.message).toMatch(/^a protocol must be a JSON object/u);
  });

  it('says when a document comes from a newer workbench', () => {
    const ps = problems({ ...doc([{ kind: 'read' }]), version: 2 });
    expect(at(ps, 'version')).toEqual(['version 2 was written by a newer workbench; this one reads version 1']);
  });

  it('says when a document is not a protocol at all', () => {
    const ps = problems({ ...doc([{ kind: 'read' }]), format: 'memristor-workbench/device' });
    expect(at(ps, 'format')[0]).toContain('this is not a workbench protocol');
  });

  it('reports blocks that are not a list of block objects', () => {
    expect(at(problems(doc({} as unknown as unknown[])), 'blocks')).toEqual(['blocks must be a list of blocks; got an object']);
    expect(at(problems(doc([])), 'blocks')).toEqual(['blocks must have at least one block']);
    expect(at(problems(doc([[{ kind: 'read' }]])), 'blocks[0]')[0]).toMatch(/^a block must be an object/u);
  });

  it('reports the holes of a sparse list instead of skipping them', () => {
    const ps = problems(doc([, { kind: 'read' }]));
    expect(ps.map((p) => p.path)).toEqual(['blocks[0]']);
  });

  it('ignores inherited properties such as constructor', () => {
    const ps = problems(doc([{ kind: 'constructor' }]));
    expect(at(ps, 'blocks[0].kind')[0]).toContain("unknown block kind 'constructor'");
    expect(validateProtocol(JSON.parse('{"format":"memristor-workbench/protocol","version":1,"name":"x","blocks":[{"kind":"read","__proto__":{"count":5}}]}')).ok).toBe(false);
  });

  it('parses JSON text and reports syntax errors as problems', () => {
    const bad = parseProtocolJson('{"format": ');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]?.message).toMatch(/^this is not valid JSON/u);
    expect(parseProtocolJson(JSON.stringify(doc([{ kind: 'read' }]))).ok).toBe(true);
  });

  it('quotes keys that are not identifiers in paths', () => {
    const ps = problems(doc([{ kind: 'read', 'a b': 1 }]));
    expect(ps[0]?.path).toBe('blocks[0]["a b"]');
  });
});

describe('validateProtocol: safety limits', () => {
  it('applies the defaults: 5 V, 1 s, 50 %, 1,000,000 pulses', () => {
    const ps = problems(
      doc([
        { kind: 'pulse', amplitude: '-5.5 V', width: '2 s' },
        { kind: 'train', count: 1000, amplitude: 1, width: '10 ms', period: '10 ms' },
        { kind: 'repeat', times: 1001, body: [{ kind: 'train', count: 1000, amplitude: 1, width: '1 ms', period: '10 ms' }] },
      ]),
    );
    expect(at(ps, 'blocks[0].amplitude')).toEqual(['amplitude -5.5 V exceeds the limit of 5 V (max |V|)']);
    expect(at(ps, 'blocks[0].width')).toEqual(['width 2 s exceeds the limit of 1 s (max width)']);
    expect(at(ps, 'blocks[1].period')).toEqual([
      'duty cycle 100 % (10 ms pulses every 10 ms) exceeds the limit of 50 % (max duty cycle)',
    ]);
    expect(at(ps, 'blocks')).toEqual(['the protocol applies 1,002,001 pulses, more than the limit of 1,000,000 (max pulse count)']);
  });

  it('allows exactly the limit, despite floating-point rounding', () => {
    // 0.07 / 0.1 is 0.7000000000000001 and 0.008 + 0.001 is 0.009000000000000001 in doubles.
    expect(validateProtocol(doc([{ kind: 'train', count: 10, amplitude: '5 V', width: '70 ms', period: '100 ms' }], { limits: { maxDutyCycle: '70 %' } }), { limits: { maxDutyCycle: 1 } }).ok).toBe(true);
    expect(validateProtocol(doc([{ kind: 'train', count: 10, amplitude: 1, width: '8 ms', period: '9 ms', read: true }]), { limits: { maxDutyCycle: 1 } }).ok).toBe(true);
  });

  it('checks that each pulse and its read fit in the period', () => {
    const ps = problems(doc([{ kind: 'train', count: 2, amplitude: 1, width: '10 ms', period: '10.5 ms', read: true }]), { limits: { maxDutyCycle: 1 } });
    expect(ps).toEqual([
      { path: 'blocks[0].period', code: 'timing', message: 'period 10.5 ms is shorter than the 10 ms pulse plus its 1 ms read; it must be at least 11 ms' },
    ]);
  });

  it('counts the pulses of an until at its maximum and says "up to"', () => {
    const ps = problems(doc([{ kind: 'until', when: 'below', threshold: '1 µS', maxIterations: 100, body: [{ ...spikes, count: 20 }] }]), { limits: { maxPulses: 1000 } });
    expect(at(ps, 'blocks')).toEqual(['the protocol applies up to 2,000 pulses, more than the limit of 1,000 (max pulse count)']);
  });

  it('limits the number of reads', () => {
    const ps = problems(doc([{ kind: 'wait', duration: '1 h', readEvery: '1 s' }]), { limits: { maxReads: 100 } });
    expect(at(ps, 'blocks')).toEqual(['the protocol takes 3,600 reads, more than the limit of 100 (max read count)']);
  });

  it('lets a document tighten the workbench limits but not loosen them', () => {
    const ps = problems(doc([{ kind: 'read' }], { limits: { maxVoltage: '10 V', compliance: '2 mA', maxWidth: '1 ms', maxDutyCycle: '120 %', maxPulses: 0 } }));
    expect(at(ps, 'limits.maxVoltage')).toEqual([
      "maxVoltage 10 V is above the workbench's limit of 5 V (max |V|); a protocol may tighten the limits, not loosen them",
    ]);
    expect(at(ps, 'limits.compliance')[0]).toContain("above the workbench's limit of 1 mA (compliance current)");
    expect(at(ps, 'limits.maxDutyCycle')[0]).toContain('cannot exceed 100 %');
    expect(at(ps, 'limits.maxPulses')).toEqual(['maxPulses must be a whole number of at least 1; got 0']);
    expect(at(ps, 'limits.maxWidth')).toEqual([]);

    const tightened = validateProtocol(doc([{ kind: 'read' }], { limits: { maxVoltage: '3 V', compliance: '100 µA' } }));
    expect(tightened.ok && tightened.limits).toEqual({ ...DEFAULT_LIMITS, maxVoltage: 3, compliance: 1e-4 });
  });

  it("applies the workbench's own limits from the options", () => {
    const ps = problems(doc([{ kind: 'pulse', amplitude: '2 V', width: '1 ms' }]), { limits: { maxVoltage: 1.5 } });
    expect(at(ps, 'blocks[0].amplitude')).toEqual(['amplitude 2 V exceeds the limit of 1.5 V (max |V|)']);
  });

  it('checks read voltages against the limit, the default one included', () => {
    expect(at(problems(doc([{ kind: 'read', voltage: '6 V' }])), 'blocks[0].voltage')).toEqual(['read voltage 6 V exceeds the limit of 5 V (max |V|)']);
    const ps = problems(doc([{ kind: 'pulse', amplitude: '20 mV', width: '1 ms' }, { kind: 'read' }, { kind: 'read' }]), { limits: { maxVoltage: 0.05 } });
    expect(ps).toHaveLength(1);
    expect(ps[0]?.path).toBe('blocks[1]');
    expect(ps[0]?.message).toContain('default read voltage 100 mV, which exceeds the limit of 50 mV (max |V|)');
    expect(validateProtocol(doc([{ kind: 'read' }], { read: { voltage: '20 mV' } }), { limits: { maxVoltage: 0.05 } }).ok).toBe(true);
  });
});

describe('validateProtocol: reads and waits', () => {
  it('needs an interval for more than one read, and one no shorter than the integration time', () => {
    expect(at(problems(doc([{ kind: 'read', count: 3 }])), 'blocks[0].interval')).toEqual(["missing interval: give a time such as '10 ms'"]);
    expect(at(problems(doc([{ kind: 'read', count: 3, interval: '0.5 ms' }])), 'blocks[0].interval')).toEqual([
      "interval 500 µs is shorter than the read's integration time 1 ms",
    ]);
  });

  it('keeps readEvery and read settings consistent', () => {
    expect(at(problems(doc([{ kind: 'wait', duration: 10, readEvery: 1, read: false }])), 'blocks[0].read')[0]).toContain('read is false');
    expect(at(problems(doc([{ kind: 'wait', duration: 10, read: { voltage: 0.2 } }])), 'blocks[0].read')[0]).toContain('need readEvery');
    expect(at(problems(doc([{ kind: 'wait', duration: 10, readEvery: '0.1 ms' }])), 'blocks[0].readEvery')[0]).toContain('shorter than');
    expect(at(problems(doc([{ kind: 'pulse', amplitude: 1, width: 1e-3, read: 'yes' }])), 'blocks[0].read')[0]).toMatch(/^read must be true, false or read settings/u);
  });
});

describe('validateProtocol: sweeps', () => {
  const pair = { kind: 'train', count: 2, amplitude: '2 V', width: '10 ms', read: true };

  it('lets the blocks in a sweep leave out the swept parameter', () => {
    const result = validateProtocol(doc([{ kind: 'sweep', parameter: 'period', values: ['50 ms', '1 s'], body: [pair] }]));
    expect(result.ok).toBe(true);
    expect(at(problems(doc([pair])), 'blocks[0].period')).toEqual(["missing period: give a time such as '10 ms'"]);
  });

  it('checks each swept value, with its path', () => {
    const ps = problems(doc([{ kind: 'sweep', parameter: 'amplitude', values: ['1 V', '6 V', '1 s'], body: [{ kind: 'pulse', width: '1 ms' }] }]));
    expect(ps.map((p) => [p.path, p.message])).toEqual([
      ['blocks[0].values[1]', 'amplitude 6 V exceeds the limit of 5 V (max |V|)'],
      ['blocks[0].values[2]', "amplitude: expected a voltage such as '1.5 V', got '1 s' (that is a time)"],
    ]);
  });

  it('checks the duty cycle with the swept values and says where they come from', () => {
    const ps = problems(doc([{ kind: 'sweep', parameter: 'period', values: ['1 s', '15 ms'], body: [{ ...pair, read: false }] }]));
    expect(ps).toEqual([
      {
        path: 'blocks[0].body[0].period',
        code: 'limit',
        message: 'duty cycle 66.7 % (10 ms pulses every 15 ms, period from the sweep at blocks[0]) exceeds the limit of 50 % (max duty cycle)',
      },
    ]);
  });

  it('combines nested sweeps at their worst: the longest width with the shortest period', () => {
    const nested = { kind: 'sweep', parameter: 'width', values: ['1 ms', '30 ms'], body: [{ kind: 'sweep', parameter: 'period', values: ['100 ms', '50 ms'], body: [{ kind: 'train', count: 2, amplitude: 1 }] }] };
    const ps = problems(doc([nested]));
    expect(ps.map((p) => p.message)).toEqual([
      'duty cycle 60 % (30 ms pulses every 50 ms, width from the sweep at blocks[0], period from the sweep at blocks[0].body[0]) exceeds the limit of 50 % (max duty cycle)',
    ]);
  });

  it('rejects a sweep that changes nothing', () => {
    const ps = problems(doc([{ kind: 'sweep', parameter: 'period', values: [1], body: [{ kind: 'pulse', amplitude: 1, width: 1e-3 }] }]));
    expect(at(ps, 'blocks[0].parameter')).toEqual(['a sweep over period changes nothing: its body has no train or ramp block that uses a period']);
  });

  it('does not count a use by an inner sweep over the same parameter as a use of the outer one', () => {
    const inner = { kind: 'sweep', parameter: 'amplitude', values: [1], body: [{ kind: 'pulse', width: 1e-3 }] };
    const ps = problems(doc([{ kind: 'sweep', parameter: 'amplitude', values: [2], body: [inner] }]));
    expect(at(ps, 'blocks[0].parameter')).toHaveLength(1);
  });

  it('rejects unknown parameters and empty value lists', () => {
    const ps = problems(doc([{ kind: 'sweep', parameter: 'colour', values: [], body: [{ kind: 'read' }] }]));
    expect(at(ps, 'blocks[0].parameter')[0]).toBe("parameter must be one of amplitude, width, period, duration, interval; got 'colour'");
    expect(at(ps, 'blocks[0].values')).toEqual(['values must have at least one value']);
  });
});

describe('validateProtocol: until', () => {
  const ramp = { kind: 'ramp', from: '0.5 V', to: '3 V', step: '0.1 V', width: '10 ms', period: '200 ms', read: true };

  it('accepts an absolute or a relative threshold', () => {
    expect(validateProtocol(doc([{ kind: 'until', when: 'below', threshold: '5 µS', maxIterations: 3, body: [ramp] }])).ok).toBe(true);
    const relative = validateProtocol(doc([{ kind: 'until', when: 'below', relative: '50 %', maxIterations: 3, body: [ramp] }]));
    expect(relative.ok && relative.document.blocks[0]).toMatchObject({ relative: 0.5 });
  });

  it('requires a maximum number of iterations', () => {
    expect(at(problems(doc([{ kind: 'until', when: 'below', threshold: 1e-6, body: [ramp] }])), 'blocks[0].maxIterations')).toEqual([
      'missing maxIterations: give a whole number of at least 1',
    ]);
  });

  it('requires exactly one of threshold and relative, and a direction', () => {
    expect(at(problems(doc([{ kind: 'until', when: 'below', maxIterations: 1, body: [ramp] }])), 'blocks[0]')[0]).toMatch(/^an until needs threshold/u);
    expect(at(problems(doc([{ kind: 'until', when: 'below', threshold: 1e-6, relative: 0.5, maxIterations: 1, body: [ramp] }])), 'blocks[0]')).toEqual([
      'give threshold or relative, not both',
    ]);
    expect(at(problems(doc([{ kind: 'until', when: 'under', threshold: 1e-6, maxIterations: 1, body: [ramp] }])), 'blocks[0].when')).toEqual([
      "when must be 'above' or 'below'; got 'under'",
    ]);
  });

  it('rejects a relative threshold that is met before anything happens', () => {
    expect(at(problems(doc([{ kind: 'until', when: 'below', relative: 1.2, maxIterations: 1, body: [ramp] }])), 'blocks[0].relative')[0]).toContain('met before anything happens');
    expect(at(problems(doc([{ kind: 'until', when: 'above', relative: 0.8, maxIterations: 1, body: [ramp] }])), 'blocks[0].relative')[0]).toContain('use a factor above 1');
  });

  it('requires a read in the body', () => {
    const ps = problems(doc([{ kind: 'until', when: 'below', threshold: 1e-6, maxIterations: 2, body: [{ ...ramp, read: false }] }]));
    expect(at(ps, 'blocks[0].body')[0]).toMatch(/^an until must read G in its body/u);
  });
});
