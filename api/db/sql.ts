import type { DuckDBValue } from '@duckdb/node-api';

/** A SQL fragment with its bound values; values never enter the text. */
export class Sql {
  constructor(
    readonly text: string,
    readonly values: readonly DuckDBValue[],
  ) {}
}

type Part = Sql | DuckDBValue;

/** `sql\`… ${value} …\`` binds each value as `?`; nested `Sql` fragments are inlined. */
export function sql(strings: TemplateStringsArray, ...parts: Part[]): Sql {
  let text = strings[0] ?? '';
  const values: DuckDBValue[] = [];
  parts.forEach((part, i) => {
    if (part instanceof Sql) {
      text += part.text;
      values.push(...part.values);
    } else {
      text += '?';
      values.push(part);
    }
    text += strings[i + 1] ?? '';
  });
  return new Sql(text, values);
}

export function joinSql(fragments: readonly Sql[], separator: string): Sql {
  return new Sql(
    fragments.map((f) => f.text).join(separator),
    fragments.flatMap((f) => f.values),
  );
}

/** Trusted text (identifiers from an allow-list, fixed keywords); never user input. */
export function raw(text: string): Sql {
  return new Sql(text, []);
}
