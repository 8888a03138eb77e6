// How the connections table and the namespace matrix ask for their data: the worker computes it
// over its edge table for a model it sent (one with a revision); a model it did not send is
// computed here, by the same functions.

import type { GraphFilters } from '../graph/index.ts';
import { type GraphModel, revisionOf } from '../model/index.ts';
import { analysisClient } from './analysisClients.ts';
import {
  type ConnectionOrder,
  type ConnectionSort,
  connectionOrder,
  type SidePolicies,
  sidePolicies,
} from './connectionOrder.ts';
import { type MatrixCounts, matrixCounts } from './matrixCounts.ts';
import { tableSourceOf } from './tableSource.ts';

/** The table's rows, with the policies of each side to show in them, and the model they index. */
export interface ConnectionsAnswer {
  model: GraphModel;
  order: ConnectionOrder;
  sides: SidePolicies;
}

/** Each model's side policies, asked for once: they change only with the model. */
const sidesAsked = new WeakMap<GraphModel, Promise<SidePolicies | undefined>>();

function askSidePolicies(model: GraphModel, revision: number): Promise<SidePolicies | undefined> {
  let asked = sidesAsked.get(model);
  if (!asked) {
    asked = analysisClient()
      .request('sidePolicies', { revision })
      .then((reply) => {
        // The worker has moved on: the next model will ask again; this one must not keep the miss.
        if (!reply?.sides) sidesAsked.delete(model);
        return reply?.sides;
      });
    sidesAsked.set(model, asked);
  }
  return asked;
}

/**
 * The connections table's rows of `model` under the graph's filters, sorted, then searched;
 * undefined when the worker has moved on to a newer model (which will be asked about in turn).
 */
export async function askConnections(
  model: GraphModel,
  filters: GraphFilters,
  sort: ConnectionSort,
  query: string,
): Promise<ConnectionsAnswer | undefined> {
  const revision = revisionOf(model);
  if (revision === undefined) {
    const source = tableSourceOf(model);
    return { model, order: connectionOrder(source, filters, sort, query), sides: sidePolicies(source) };
  }
  const [reply, sides] = await Promise.all([
    analysisClient().request('connections', { revision, filters, sort, query }),
    askSidePolicies(model, revision),
  ]);
  return reply?.order && sides ? { model, order: reply.order, sides } : undefined;
}

/** The namespace matrix of `model` under the graph's filters; undefined as for askConnections. */
export async function askMatrix(model: GraphModel, filters: GraphFilters): Promise<MatrixCounts | undefined> {
  const revision = revisionOf(model);
  if (revision === undefined) return matrixCounts(tableSourceOf(model), filters);
  const reply = await analysisClient().request('matrix', { revision, filters });
  return reply?.matrix;
}
