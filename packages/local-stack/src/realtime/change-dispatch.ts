// Delivers captured changes: row changes to the channels whose postgres_changes bindings and
// filters match and whose role and claims may select the row under RLS (one check query per
// change), and realtime.messages inserts (realtime.send, broadcast_changes) as broadcasts.

import { deliverBroadcast } from "./broadcast.ts";
import { changeData, type RowChange, type TypeNames } from "./change-payload.ts";
import type { Channel } from "./channel.ts";
import { routeKey } from "./channel.ts";
import type { ChannelRegistry } from "./channel-registry.ts";
import { matchesFilters } from "./filters.ts";
import type { Relation, TupleValues } from "./pgoutput-decoder.ts";
import { bindingConcerns } from "./postgres-changes-bindings.ts";
import type { CapturedTransaction } from "./postgres-changes-capture.ts";
import type { RlsChecker } from "./rls-check.ts";

/** request.jwt.claims text per token's claims, computed once per token rather than per change. */
const claimsText = new WeakMap<object, string>();
function claimsJson(claims: object): string {
  let text = claimsText.get(claims);
  if (text === undefined) {
    text = JSON.stringify(claims);
    claimsText.set(claims, text);
  }
  return text;
}

export class ChangeDispatcher {
  constructor(
    private readonly registry: ChannelRegistry,
    private readonly rls: RlsChecker,
    private readonly types: TypeNames,
  ) {}

  async dispatchTransaction(transaction: CapturedTransaction, relations: Map<number, Relation>): Promise<void> {
    for (const message of transaction.messages) {
      if (message.kind !== "insert" && message.kind !== "update" && message.kind !== "delete") continue;
      const relation = relations.get(message.relationOid);
      if (!relation) continue;
      if (relation.schema === "realtime" && relation.table === "messages") {
        if (message.kind === "insert") this.deliverDatabaseBroadcast(message.record);
        continue;
      }
      const change: RowChange =
        message.kind === "insert"
          ? { relation, type: "INSERT", commitTime: transaction.commitTime, record: message.record }
          : message.kind === "update"
            ? { relation, type: "UPDATE", commitTime: transaction.commitTime, record: message.record, oldRecord: message.oldRecord }
            : { relation, type: "DELETE", commitTime: transaction.commitTime, oldRecord: message.oldRecord };
      await this.dispatch(change);
    }
  }

  /** realtime.send() / broadcast_changes(): a broadcast to the topic's private (or public) channels. */
  private deliverDatabaseBroadcast(row: TupleValues): void {
    if (row.extension !== "broadcast" || !row.topic || !row.event) return;
    const isPrivate = row.private === "t";
    let payload: unknown = null;
    if (row.binary_payload) payload = { binary: Buffer.from(row.binary_payload.replace(/^\\x/, ""), "hex") };
    else if (row.payload) payload = JSON.parse(row.payload);
    deliverBroadcast(this.registry, { route: routeKey(row.topic, isPrivate), event: row.event, payload, meta: { id: row.id } });
  }

  async dispatch(change: RowChange): Promise<number> {
    const { relation } = change;
    const targets: { channel: Channel; ids: number[] }[] = [];
    const values = (change.type === "DELETE" ? change.oldRecord : change.record) ?? {};
    let typeOf: Record<string, string> | undefined;
    for (const channel of this.registry.withBindings) {
      if (channel.closed) continue;
      const ids: number[] = [];
      for (const binding of channel.bindings) {
        if (!bindingConcerns(binding, relation.schema, relation.table, change.type)) continue;
        if (binding.filters.length > 0) {
          if (!typeOf) typeOf = await this.columnTypes(relation);
          if (!matchesFilters(binding.filters, values, typeOf)) continue;
        }
        if (!ids.includes(binding.id)) ids.push(binding.id);
      }
      if (ids.length > 0) targets.push({ channel, ids });
    }
    if (targets.length === 0) return 0;
    await this.types.load(relation.columns.map((column) => column.typeOid));
    const table = await this.rls.table(relation.oid);
    // The payload depends only on the role (its column grants) and the matched ids: serialize it
    // once per distinct pair, not once per subscriber. Prepared while RLS is being checked.
    const dataJsonByRole = new Map<string, string | undefined>();
    const roles = [...new Set(targets.map(({ channel }) => channel.token.role))];
    const payloads = new Map<string, string>();
    let delivered = 0;
    const deliver = (indexes: Iterable<number>) => {
      for (const index of indexes) {
        const { channel, ids } = targets[index];
        const role = channel.token.role;
        const dataJson = dataJsonByRole.get(role);
        if (dataJson === undefined) continue;
        const payloadKey = `${role}\u0000${ids.join(",")}`;
        let payloadJson = payloads.get(payloadKey);
        if (payloadJson === undefined) {
          payloadJson = `{"ids":${JSON.stringify(ids)},"data":${dataJson}}`;
          payloads.set(payloadKey, payloadJson);
        }
        channel.pushPayloadJson("postgres_changes", payloadJson);
        delivered++;
      }
    };
    let dataReady = false;
    const waiting: number[] = [];
    const prepared = Promise.all(
      roles.map(async (role) => {
        const allowed = await this.rls.columns(relation.oid, role);
        dataJsonByRole.set(
          role,
          allowed.size === 0 ? undefined : JSON.stringify(changeData(change, this.types, allowed, table.rowSecurity)),
        );
      }),
    ).then(() => {
      dataReady = true;
      deliver(waiting);
    });
    // DELETEs are not RLS-checked (the row is gone); their old record is cut to the key instead.
    if (table.rowSecurity && change.type !== "DELETE") {
      const key: Record<string, string | null | undefined> = {};
      for (const column of relation.columns) if (column.isKey) key[column.name] = change.record?.[column.name];
      const checked = this.rls.visibleInChunks(
        relation.oid,
        key,
        targets.map(({ channel }) => ({ role: channel.token.role, claims: claimsJson(channel.token.claims) })),
        (indexes) => (dataReady ? deliver(indexes) : waiting.push(...indexes)),
      );
      await Promise.all([prepared, checked]);
    } else {
      await prepared;
      deliver(targets.keys());
    }
    return delivered;
  }

  private async columnTypes(relation: Relation): Promise<Record<string, string>> {
    await this.types.load(relation.columns.map((column) => column.typeOid));
    return Object.fromEntries(relation.columns.map((column) => [column.name, this.types.name(column.typeOid)]));
  }
}
