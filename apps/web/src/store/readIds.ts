import { asNodeId, edgeId, parseEdgeId, parsePolicyRef } from '../model/index.ts';
import type { AuthoringDialog, AuthoringDialogRequest, Selection, SelectionRequest } from './types.ts';

// What the store keeps holds typed ids: a request from a view is read here, through the id
// module, once. An id that is no id of its kind leaves nothing selected (or no dialog open):
// a link or a stale list row can name anything.

/** The selection a view asked for, by typed id; undefined when an id is not one of its kind. */
export function readSelection(request: SelectionRequest): Selection {
  switch (request?.kind) {
    case undefined:
      return undefined;
    case 'node': {
      const id = asNodeId(request.id);
      return id && { kind: 'node', id };
    }
    case 'edge': {
      const source = asNodeId(request.source);
      const target = asNodeId(request.target);
      if (!source || !target) return undefined;
      // Rebuilt from its ends, keeping whether the drawn edge is an Admin denial (`denied:`).
      const drawn = parseEdgeId(request.id);
      const denied = drawn?.source === source && drawn.target === target && drawn.denied;
      return { kind: 'edge', id: edgeId(source, target, denied), source, target };
    }
    case 'policy': {
      const policy = parsePolicyRef(request.id);
      return policy && { kind: 'policy', id: policy.id };
    }
  }
}

/** The dialog a view asked for, by typed id; undefined when the ends of its connection are not node ids. */
export function readDialog(request: AuthoringDialogRequest): AuthoringDialog | undefined {
  switch (request.kind) {
    case 'connect': {
      const src = request.src === undefined ? undefined : asNodeId(request.src);
      const dst = request.dst === undefined ? undefined : asNodeId(request.dst);
      return { kind: 'connect', src, dst };
    }
    case 'remove':
    case 'cluster-deny': {
      const src = asNodeId(request.src);
      const dst = asNodeId(request.dst);
      return src && dst ? { kind: request.kind, src, dst } : undefined;
    }
    default:
      return request;
  }
}
