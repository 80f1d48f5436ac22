// A plugin: 'api' is not a file or a package; the host's hooks serve it from memory.
import { greet, version } from 'api';

export const message = `${greet('hello.js')} (api v${version})`;
