import { createHandler, transferablesOfReply } from './handler.ts';
import { postAnalysis } from './postedModel.ts';
import type { WorkerRequest } from './protocol.ts';

const handle = createHandler();

// A listener, not `self.onmessage`: ELK's bundle, loaded on the first layout, sets
// `self.onmessage` to its own dispatcher when it finds itself in a worker, which would silence
// every later request. Its dispatcher ignores messages without its `cmd` field, as ours are.
self.addEventListener('message', async (event: MessageEvent<WorkerRequest>) => {
  const reply = await handle(event.data);
  const { message, transfer } =
    reply.type === 'analyze'
      ? postAnalysis(reply)
      : { message: reply, transfer: transferablesOfReply(reply) };
  self.postMessage(message, { transfer });
});
