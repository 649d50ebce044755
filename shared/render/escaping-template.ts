/**
 * What `html` and `xml` share: a tagged template that escapes every interpolated value unless it is
 * already markup of its own kind. Each kind is its own class, so an HTML fragment can never be
 * interpolated into an XML document (or the reverse) without being escaped.
 */
export type Interpolation<M> = M | string | number | null | undefined | false | readonly Interpolation<M>[];

export function escapingTemplate<M extends { readonly value: string }>(
  Kind: new (value: string) => M,
  escape: (text: string) => string,
): (strings: TemplateStringsArray, ...values: Interpolation<M>[]) => M {
  const render = (value: Interpolation<M>): string => {
    if (value === null || value === undefined || value === false) return '';
    if (value instanceof Kind) return value.value;
    if (Array.isArray(value)) return value.map(render).join('');
    return escape(String(value));
  };
  return (strings, ...values) => {
    let out = strings[0] ?? '';
    for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
    return new Kind(out);
  };
}
