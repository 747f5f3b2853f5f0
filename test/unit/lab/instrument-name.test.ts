/**
 * The one instrument-name check (shared/lab/instrument-name.ts) that `workbench submit/worker
 * --instrument`, the queue naming and the contract's lab.submitRl all use: property tests that they
 * agree, and that every refusal is a sentence naming what is wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instrumentNameProblem, INSTRUMENT_NAME_MAX } from '../../../shared/lab/instrument-name';
import { labRequests } from '../../../shared/contract/areas/lab';
import { instrumentQueue } from '../../../electron/services/lab-queue/payload';
import { ServiceError } from '../../../electron/services/errors';

const good = fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/);
const submitInput = labRequests['lab.submitRl'].input;
const accepted = (instrument: string) => submitInput.safeParse({ experiment: {}, instrument }).success;

describe('instrument names', () => {
  it('every name of letters, digits, _ and - (1 to 60) is taken, by the check, the queue and the contract alike', () => {
    fc.assert(
      fc.property(good, (name) => {
        expect(instrumentNameProblem(name)).toBeNull();
        expect(instrumentQueue(name)).toBe(`wb-sweep-instrument-${name}`);
        expect(accepted(name)).toBe(true);
      }),
    );
  });

  it('any other string is refused with a sentence naming its bad characters or its length, the same everywhere', () => {
    const bad = fc.string({ unit: 'binary', maxLength: 80 }).filter((s) => !/^[A-Za-z0-9_-]{1,60}$/.test(s));
    fc.assert(
      fc.property(bad, (name) => {
        const problem = instrumentNameProblem(name);
        expect(problem).toMatch(/^an instrument's name /);
        const first = [...name].find((ch) => !/[A-Za-z0-9_-]/.test(ch));
        if (name === '') expect(problem).toMatch(/is empty/);
        else if (first !== undefined) expect(problem).toContain(first === ' ' ? 'a space' : JSON.stringify(first));
        else expect(problem).toBe(`an instrument's name may be at most ${INSTRUMENT_NAME_MAX} characters long; this one has ${name.length}`);
        expect(() => instrumentQueue(name)).toThrow(new ServiceError('invalid_request', problem!));
        expect(accepted(name)).toBe(false);
        const refused = submitInput.safeParse({ experiment: {}, instrument: name });
        expect(refused.error?.issues.map((i) => i.message)).toEqual([problem]);
      }),
    );
  });

  it('a long pasted text is quoted only in part', () => {
    const text = `${'x'.repeat(70)} ${'y'.repeat(70)}`;
    expect(instrumentNameProblem(text)).toBe(`an instrument's name may hold only letters, digits, '_' and '-' (1 to 60 of them); "${'x'.repeat(60)}"… has a space`);
  });

  it('the sentences, word for word, at the length limit and for several bad characters', () => {
    expect(instrumentNameProblem('k'.repeat(60))).toBeNull();
    expect(instrumentNameProblem('k'.repeat(61))).toBe("an instrument's name may be at most 60 characters long; this one has 61");
    // The contract bounds the text before the rule reads it (as every text of every request).
    expect(accepted('k'.repeat(201))).toBe(false);
    expect(instrumentNameProblem('a/b c')).toBe(`an instrument's name may hold only letters, digits, '_' and '-' (1 to 60 of them); "a/b c" has "/", a space`);
  });
});
