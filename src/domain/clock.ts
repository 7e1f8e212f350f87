/** The source of "now"; services take one so tests and domain rules stay deterministic. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
