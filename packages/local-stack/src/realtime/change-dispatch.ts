// Delivers captured changes: row changes to the channels whose postgres_changes bindings and
// filters match and whose role and claims may select the row under RLS (one check query per
// change), and realtime.messages inserts (realtime.send, broadcast_changes) as broadcasts.

import { deliverBroadcast } from "./broadcast.ts";
import { type ChangeData, changeData, type RowChange, type TypeNames } from "./change-payload.ts";
import type { Channel } from "./channel.ts";
import { routeKey } from "./channel.ts";
import type { ChannelRegistry } from "./channel-registry.ts";
import { matchesFilter } from "./filters.ts";
import type { Relation, TupleValues } from "./pgoutput-decoder.ts";
import { bindingConcerns } from "./postgres-changes-bindings.ts";
import type { CapturedTransaction } from "./postgres-changes-capture.ts";
import type { RlsChecker } from "./rls-check.ts";

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
        if (binding.filter) {
          if (!typeOf) typeOf = await this.columnTypes(relation);
          if (!matchesFilter(binding.filter, values, typeOf)) continue;
        }
        if (!ids.includes(binding.id)) ids.push(binding.id);
      }
      if (ids.length > 0) targets.push({ channel, ids });
    }
    if (targets.length === 0) return 0;
    await this.types.load(relation.columns.map((column) => column.typeOid));
    const table = await this.rls.table(relation.oid);
    let visible = targets.map(() => true);
    // DELETEs are not RLS-checked (the row is gone); their old record is cut to the key instead.
    if (table.rowSecurity && change.type !== "DELETE") {
      const key: Record<string, string | null | undefined> = {};
      for (const column of relation.columns) if (column.isKey) key[column.name] = change.record?.[column.name];
      visible = await this.rls.visible(
        relation.oid,
        key,
        targets.map(({ channel }) => ({ role: channel.token.role, claims: JSON.stringify(channel.token.claims) })),
      );
    }
    const dataByRole = new Map<string, Promise<ChangeData | undefined>>();
    let delivered = 0;
    for (let i = 0; i < targets.length; i++) {
      if (!visible[i]) continue;
      const { channel, ids } = targets[i];
      const role = channel.token.role;
      let data = dataByRole.get(role);
      if (!data) {
        data = this.rls
          .columns(relation.oid, role)
          .then((allowed) => (allowed.size === 0 ? undefined : changeData(change, this.types, allowed, table.rowSecurity)));
        dataByRole.set(role, data);
      }
      const payload = await data;
      if (!payload) continue;
      channel.push("postgres_changes", { ids, data: payload });
      delivered++;
    }
    return delivered;
  }

  private async columnTypes(relation: Relation): Promise<Record<string, string>> {
    await this.types.load(relation.columns.map((column) => column.typeOid));
    return Object.fromEntries(relation.columns.map((column) => [column.name, this.types.name(column.typeOid)]));
  }
}
