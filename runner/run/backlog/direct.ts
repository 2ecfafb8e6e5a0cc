/** direct: no broker, so nothing ever waits between the api and the database (the backlog is always empty). */
import type { BacklogProbe } from './types.ts';

export const directBacklog: BacklogProbe = {
  emulator: 'none (direct has no broker)',
  async read() {
    return [];
  },
};
