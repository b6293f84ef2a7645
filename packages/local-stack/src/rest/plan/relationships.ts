// Finds the relationship an embed names (`rel`, `rel!hint`), as PostgREST's findRel does: by
// related table, foreign key constraint name or FK column; many-to-one, one-to-many, one-to-one
// and many-to-many through a junction table whose primary key holds both foreign keys.
import { RestError } from "../errors.ts";
import { type ForeignKey, type Relation, relationKey, type SchemaCache } from "../schema-cache.ts";
import { closestMatch } from "./fuzzy-set.ts";

export interface Relationship {
  cardinality: "many-to-one" | "one-to-many" | "one-to-one" | "many-to-many";
  source: Relation;
  target: Relation;
  /** The foreign key joining source and target (source side for many-to-many). */
  fk: ForeignKey;
  /** Pairs [source column, target column] the embed is correlated on (direct relationships). */
  on: [string, string][];
  junction?: { relation: Relation; sourceFk: ForeignKey; targetFk: ForeignKey };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((c) => b.includes(c));
const isUnique = (relation: Relation, columns: string[]) => relation.uniqueKeys.some((key) => sameSet(key, columns));

/** One entry of PGRST201's details, worded as PostgREST's compressedRel. */
function describe(r: Relationship): Record<string, string> {
  const columns = (cols: string[]) => `(${cols.join(", ")})`;
  const relationship = r.junction
    ? `${r.junction.relation.name} using ${r.junction.sourceFk.name}${columns(r.junction.sourceFk.columns)} and ${r.junction.targetFk.name}${columns(r.junction.targetFk.columns)}`
    : `${r.fk.name} using ${r.source.name}${columns(r.on.map(([s]) => s))} and ${r.target.name}${columns(r.on.map(([, t]) => t))}`;
  return { cardinality: r.cardinality, embedding: `${r.source.name} with ${r.target.name}`, relationship };
}

/** PGRST200's hint: a close related table of the parent, else a close parent. */
function noRelationshipHint(cache: SchemaCache, source: Relation, name: string): string | null {
  const related = candidates(cache, source, undefined).map((c) => c.rel.target.name);
  if (related.length) {
    if (related.includes(name)) return null;
    const child = closestMatch(name, related);
    return child === undefined ? null : `Perhaps you meant '${child}' instead of '${name}'.`;
  }
  const parents = [...cache.relations.values()].filter((r) => r.schema === source.schema && candidates(cache, r, undefined).length > 0);
  const parent = closestMatch(
    source.name,
    parents.map((r) => r.name),
  );
  return parent === undefined ? null : `Perhaps you meant '${parent}' instead of '${source.name}'.`;
}

/** Relationships of `source` that `name` may mean (every one when `name` is undefined). */
function candidates(cache: SchemaCache, source: Relation, name: string | undefined): { rel: Relationship; hints: string[] }[] {
  const found: { rel: Relationship; hints: string[] }[] = [];
  const lookup = (schema: string, table: string) => cache.relations.get(relationKey(schema, table));
  for (const fk of cache.foreignKeys) {
    // Many-to-one (or one-to-one): the source holds the FK.
    if (fk.schema === source.schema && fk.table === source.name && fk.foreignSchema === source.schema) {
      const target = lookup(fk.foreignSchema, fk.foreignTable);
      const selfRef = fk.foreignTable === source.name;
      const byName =
        name === undefined ||
        (!selfRef && target?.name === name) ||
        fk.name === name ||
        (fk.columns.length === 1 && fk.columns[0] === name);
      if (target && byName) {
        found.push({
          rel: {
            cardinality: isUnique(source, fk.columns) ? "one-to-one" : "many-to-one",
            source,
            target,
            fk,
            on: fk.columns.map((c, i) => [c, fk.foreignColumns[i]]),
          },
          hints: [fk.name, ...fk.columns, ...fk.foreignColumns],
        });
      }
    }
    // One-to-many (or one-to-one): the target holds an FK to the source.
    if (fk.foreignSchema === source.schema && fk.foreignTable === source.name && fk.schema === source.schema) {
      const target = lookup(fk.schema, fk.table);
      if (target && (name === undefined || target.name === name || fk.name === name)) {
        found.push({
          rel: {
            cardinality: isUnique(target, fk.columns) ? "one-to-one" : "one-to-many",
            source,
            target,
            fk,
            on: fk.foreignColumns.map((c, i) => [c, fk.columns[i]]),
          },
          hints: [fk.name, ...fk.columns, ...fk.foreignColumns],
        });
      }
    }
  }
  // Many-to-many through a junction whose primary key covers FKs to both sides.
  for (const sourceFk of cache.foreignKeys) {
    if (sourceFk.foreignSchema !== source.schema || sourceFk.foreignTable !== source.name || sourceFk.schema !== source.schema) continue;
    const junction = lookup(sourceFk.schema, sourceFk.table);
    if (!junction || junction.name === source.name) continue;
    for (const targetFk of cache.foreignKeys) {
      if (targetFk === sourceFk || targetFk.schema !== junction.schema || targetFk.table !== junction.name) continue;
      if ((name !== undefined && targetFk.foreignTable !== name) || targetFk.foreignSchema !== source.schema) continue;
      const inPk = [...sourceFk.columns, ...targetFk.columns].every((c) => junction.primaryKey.includes(c));
      const target = lookup(targetFk.foreignSchema, targetFk.foreignTable);
      if (!inPk || !target) continue;
      found.push({
        rel: { cardinality: "many-to-many", source, target, fk: sourceFk, on: [], junction: { relation: junction, sourceFk, targetFk } },
        hints: [junction.name, sourceFk.name, targetFk.name],
      });
    }
  }
  return found;
}

export function findRelationship(cache: SchemaCache, source: Relation, name: string, hint?: string): Relationship {
  let found = candidates(cache, source, name);
  if (hint) found = found.filter((c) => c.hints.includes(hint));
  if (found.length === 1) return found[0].rel;
  if (found.length === 0) {
    throw new RestError(
      400,
      "PGRST200",
      `Could not find a relationship between '${source.name}' and '${name}' in the schema cache`,
      `Searched for a foreign key relationship between '${source.name}' and '${name}'${hint ? ` using the hint '${hint}'` : ""} in the schema '${source.schema}', but no matches were found.`,
      noRelationshipHint(cache, source, name),
    );
  }
  const options = found.map((c) => `'${c.rel.target.name}!${c.rel.junction ? c.rel.junction.relation.name : c.rel.fk.name}'`);
  throw new RestError(
    300,
    "PGRST201",
    `Could not embed because more than one relationship was found for '${source.name}' and '${name}'`,
    found.map((c) => describe(c.rel)),
    `Try changing '${name}' to one of the following: ${options.join(", ")}. Find the desired relationship in the 'details' key.`,
  );
}

export const isToOne = (r: Relationship) => r.cardinality === "many-to-one" || r.cardinality === "one-to-one";
