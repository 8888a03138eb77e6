import { createHandler } from './handler.ts';
import type { WorkerRequest } from './protocol.ts';

const handle = createHandler();

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  self.postMessage(await handle(event.data));
};
