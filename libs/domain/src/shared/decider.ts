/**
 * A decider (Jérémie Chassaing's pattern, as used by Emmett): the whole behaviour of one
 * kind of stream as two pure functions. No framework, no I/O, no clock: `now` arrives in
 * the command.
 */
export interface Command<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  /** The instant the command is handled at, supplied by the caller's clock. */
  readonly now: Date;
}

export interface Event<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<State, C extends Command, E extends Event> {
  /** The state of a stream that has no events yet. */
  initialState(): State;
  /** Returns the events a command causes, or throws a DomainError. */
  decide(command: C, state: State): E[];
  /** Folds one event into the state. */
  evolve(state: State, event: E): State;
}

/** What a multi-stream command writes to one stream. */
export interface StreamDecision {
  readonly streamId: string;
  readonly events: readonly Event[];
}

/**
 * A decider whose command, decided on one stream's state, also starts other streams (a
 * visit that opens the cases its problems raise): `decide` returns the events per stream,
 * the decided-on stream first.
 */
export interface MultiStreamDecider<State, C extends Command, E extends Event> {
  initialState(): State;
  evolve(state: State, event: E): State;
  decide(command: C, state: State): readonly StreamDecision[];
}

export function fold<State, E extends Event>(
  decider: Pick<Decider<State, Command, E>, 'initialState' | 'evolve'>,
  events: readonly E[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/** Compile-time exhaustiveness check for `switch` over a discriminated union. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}
