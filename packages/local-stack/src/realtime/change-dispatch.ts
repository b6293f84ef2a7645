// Delivers captured changes: row changes to the channels whose role and claims may select the row
// under RLS (one check query per change) and whose postgres_changes bindings and filters then
// match, and realtime.messages inserts (realtime.send, broadcast_changes) as broadcasts.

import type { Logger } from "../log/logger.ts";
import { deliverBroadcast } from "./broadcast.ts";
import { bindingsWanting, type FilterTarget } from "./change-filters.ts";
import { changeData, type RowChange, type TypeNames } from "./change-payload.ts";
import type { Channel } from "./channel.ts";
import { routeKey } from "./channel.ts";
import type { ChannelRegistry } from "./channel-registry.ts";
import type { PatternError, PatternMatcher } from "./pattern-filters.ts";
import type { Relation, TupleValues } from "./pgoutput-decoder.ts";
import { bindingConcerns, type PostgresBinding, paramsToLog } from "./postgres-changes-bindings.ts";
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
    private readonly patterns: PatternMatcher,
    private readonly logger: Logger,
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
    const targets: FilterTarget[] = [];
    for (const channel of this.registry.withBindings) {
      if (channel.closed) continue;
      const bindings = channel.bindings.filter((binding) => bindingConcerns(binding, relation.schema, relation.table, change.type));
      if (bindings.length > 0) targets.push({ channel, bindings });
    }
    if (targets.length === 0) return 0;
    await this.types.load(relation.columns.map((column) => column.typeOid));
    const table = await this.rls.table(relation.oid);
    const typeOf = Object.fromEntries(relation.columns.map((column) => [column.name, this.types.name(column.typeOid)]));
    // Filters see what the subscriber would be sent: the columns its role may select, and of a
    // DELETE under RLS only the key (the rest of the old row is never sent, so it must not be probed).
    let values: TupleValues = (change.type === "DELETE" ? change.oldRecord : change.record) ?? {};
    if (change.type === "DELETE" && table.rowSecurity) values = Object.fromEntries(table.primaryKey.map((name) => [name, values[name]]));
    // The payload depends only on the role (its column grants) and the matched ids: serialize it
    // once per distinct pair, not once per subscriber. Prepared while RLS is being checked.
    const dataJsonByRole = new Map<string, string | undefined>();
    const valuesByRole = new Map<string, TupleValues>();
    const roles = [...new Set(targets.map(({ channel }) => channel.token.role))];
    const payloads = new Map<string, string>();
    let delivered = 0;
    const prepared = Promise.all(
      roles.map(async (role) => {
        const allowed = await this.rls.columns(relation.oid, role);
        valuesByRole.set(role, Object.fromEntries(Object.entries(values).filter(([name]) => allowed.has(name))));
        dataJsonByRole.set(role, allowed.size === 0 ? undefined : JSON.stringify(changeData(change, this.types, allowed, table)));
      }),
    );
    // Runs for the targets RLS lets see the row, and only for them.
    const deliver = async (indexes: number[]): Promise<void> => {
      await prepared;
      const visible = indexes.map((index) => targets[index]).filter(({ channel }) => dataJsonByRole.get(channel.token.role) !== undefined);
      const wanted = await bindingsWanting(
        this.patterns,
        visible,
        ({ channel }) => valuesByRole.get(channel.token.role) ?? {},
        typeOf,
        (target, binding, error) => this.stopBinding(target.channel, binding, error),
      );
      visible.forEach(({ channel }, position) => {
        const ids = wanted[position];
        if (ids.length === 0 || channel.closed) return;
        const role = channel.token.role;
        const payloadKey = `${role}\u0000${ids.join(",")}`;
        let payloadJson = payloads.get(payloadKey);
        if (payloadJson === undefined) {
          payloadJson = `{"ids":${JSON.stringify(ids)},"data":${dataJsonByRole.get(role)}}`;
          payloads.set(payloadKey, payloadJson);
        }
        channel.pushPayloadJson("postgres_changes", payloadJson);
        delivered++;
      });
    };
    // DELETEs are not RLS-checked (the row is gone); their old record is cut to the key instead.
    if (table.rowSecurity && change.type !== "DELETE") {
      const key: Record<string, string | null | undefined> = {};
      for (const name of table.primaryKey) key[name] = change.record?.[name];
      const deliveries: Promise<void>[] = [];
      await this.rls.visibleInChunks(
        relation.oid,
        key,
        targets.map(({ channel }) => ({ role: channel.token.role, claims: claimsJson(channel.token.claims) })),
        (indexes) => deliveries.push(deliver(indexes)),
      );
      await Promise.all([prepared, ...deliveries]);
    } else await deliver([...targets.keys()]);
    return delivered;
  }

  /** A pattern Postgres refused: the subscriber is told once, and the binding gets nothing more. */
  private stopBinding(channel: Channel, binding: PostgresBinding, error: PatternError): void {
    if (binding.failure !== undefined) return;
    binding.failure = `Unable to filter changes with given parameters: [${paramsToLog(binding)}]. Exception: ${error.detail}`;
    this.logger.warn("postgres_changes filter failed; binding stopped", { channel: channel.name, error: error.detail });
    channel.systemMessage("postgres_changes", "error", binding.failure);
  }
}
