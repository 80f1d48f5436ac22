// Module state: each instance of ids.js counts on its own.
let last = 0;
export const nextId = () => ++last;
