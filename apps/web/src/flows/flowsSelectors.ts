import type { FlowsState } from './flowsStore.ts';

// Selectors of the observed-traffic store at module level, as store/selectors.ts does for the
// main store: one function per piece of state, shared by every component that reads it.

export const selectFlowsView = (s: FlowsState) => s.view;
/** Some flow file has been judged: the overlay has something to show. */
export const selectFlowsLoaded = (s: FlowsState) => s.view !== undefined;
export const selectFlowsShown = (s: FlowsState) => s.show;
export const selectFlowFilter = (s: FlowsState) => s.filter;
export const selectFlowsStatus = (s: FlowsState) => s.status;
/** A flow file is being read (the import button waits). */
export const selectFlowsReading = (s: FlowsState) => s.status === 'reading';
export const selectFlowsName = (s: FlowsState) => s.name;
