// The worker-side face of authoring/: what the analysis worker needs to answer authoring plans.
// index.ts is the UI face and brings React with it, which must stay out of the worker bundle.
export { createAuthoringHandler } from './handler.ts';
export type { AuthoringRequest, AuthoringResponse } from './protocol.ts';
