import { createHandler, transferablesOfReply } from './handler.ts';
import type { WorkerRequest } from './protocol.ts';

const handle = createHandler();

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const reply = await handle(event.data);
  self.postMessage(reply, { transfer: transferablesOfReply(reply) });
};
