/** A clock that only moves when a test moves it. */
export interface TestClock {
  now(): Date;
  set(date: Date | string): void;
  advance(step: { days?: number; hours?: number; minutes?: number; seconds?: number; ms?: number }): Date;
}

export const DEFAULT_START = new Date("2025-01-15T12:00:00.000Z");

export function createTestClock(start: Date | string = DEFAULT_START): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = new Date(date).getTime();
    },
    advance: ({ days = 0, hours = 0, minutes = 0, seconds = 0, ms = 0 }) => {
      current += (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000 + ms;
      return new Date(current);
    },
  };
}
