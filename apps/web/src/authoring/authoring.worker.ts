import { createAuthoringHandler } from './handler.ts';
import type { AuthoringRequest } from './protocol.ts';

const handle = createAuthoringHandler();

self.onmessage = (event: MessageEvent<AuthoringRequest>) => {
  self.postMessage(handle(event.data));
};
